// Where `ca3 train --preset NAME` finds the presets: this clone's models/presets (set by CMake).
// A file of its own, so that cli/ca3.cpp is compiled the same in any clone (the compiler cache).
#ifndef CA3_PRESETS_DIR
#error "CA3_PRESETS_DIR is set by CMakeLists.txt"
#endif
const char* ca3_presets_dir() { return CA3_PRESETS_DIR; }
