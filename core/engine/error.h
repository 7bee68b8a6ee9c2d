// CA3 errors.
//
// The public API throws one error type, ca3::Error, whose message a user can act on
// ("conv2d: input has 3 channels but the weights expect 1") and whose code says what kind of
// problem it is, so that a caller (the command line, the SDK) can react without matching text.
// Internal invariants use CA3_ASSERT, which also throws (never aborts: a browser tab must
// survive a bug) with the code `internal`.
//
//   CA3_CHECK(rows > 0, "CSV file has no data rows");                       // bad_input
//   throw Error(ErrorCode::unsupported_file, "notes.png: not an image CA3 can read");
#pragma once

#include <sstream>
#include <stdexcept>
#include <string>

namespace ca3 {

enum class ErrorCode {
  bad_input,         // the data, an option or a call does not fit (the message says how to fix it)
  unsupported_file,  // a file CA3 cannot read: foreign, damaged, of a newer format, an unknown encoding
  out_of_memory,     // the data or the model does not fit in memory
  cancelled,         // the caller stopped the work
  internal,          // a bug in CA3
};
const char* to_string(ErrorCode code);  // "bad_input", "unsupported_file", ... as the SDK names them

class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& message) : Error(ErrorCode::bad_input, message) {}
  Error(ErrorCode code, const std::string& message) : std::runtime_error(message), code_(code) {}
  ErrorCode code() const { return code_; }

 private:
  ErrorCode code_;
};

inline const char* to_string(ErrorCode code) {
  switch (code) {
    case ErrorCode::bad_input: return "bad_input";
    case ErrorCode::unsupported_file: return "unsupported_file";
    case ErrorCode::out_of_memory: return "out_of_memory";
    case ErrorCode::cancelled: return "cancelled";
    case ErrorCode::internal: return "internal";
  }
  return "internal";
}

namespace detail {
template <typename... Parts>
std::string concat(const Parts&... parts) {
  std::ostringstream out;
  (out << ... << parts);
  return out.str();
}
}  // namespace detail

}  // namespace ca3

// Throws ca3::Error (bad_input) with the streamed message parts when `condition` is false.
#define CA3_CHECK(condition, ...)                                   \
  do {                                                              \
    if (!(condition)) throw ::ca3::Error(::ca3::detail::concat(__VA_ARGS__)); \
  } while (0)

// The same with another code, e.g. CA3_CHECK_CODE(ok, ErrorCode::unsupported_file, name, ": ...").
#define CA3_CHECK_CODE(condition, code, ...)                                  \
  do {                                                                        \
    if (!(condition)) throw ::ca3::Error(code, ::ca3::detail::concat(__VA_ARGS__)); \
  } while (0)

#define CA3_ASSERT(condition)                                                                       \
  do {                                                                                              \
    if (!(condition))                                                                               \
      throw ::ca3::Error(::ca3::ErrorCode::internal, ::ca3::detail::concat("internal error: ", #condition, \
                                                                           " at ", __FILE__, ":", __LINE__)); \
  } while (0)
