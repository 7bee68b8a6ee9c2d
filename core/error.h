// CA3 errors.
//
// The public API throws one error type, ca3::Error, whose message a user can act on
// ("conv2d: input has 3 channels but the weights expect 1"). Internal invariants use
// CA3_ASSERT, which also throws (never aborts: a browser tab must survive a bug).
//
//   CA3_CHECK(rows > 0, "CSV file has no data rows");
#pragma once

#include <sstream>
#include <stdexcept>
#include <string>

namespace ca3 {

class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& message) : std::runtime_error(message) {}
};

namespace detail {
template <typename... Parts>
std::string concat(const Parts&... parts) {
  std::ostringstream out;
  (out << ... << parts);
  return out.str();
}
}  // namespace detail

}  // namespace ca3

// Throws ca3::Error with the streamed message parts when `condition` is false.
#define CA3_CHECK(condition, ...)                                   \
  do {                                                              \
    if (!(condition)) throw ::ca3::Error(::ca3::detail::concat(__VA_ARGS__)); \
  } while (0)

#define CA3_ASSERT(condition)                                                          \
  do {                                                                                 \
    if (!(condition))                                                                  \
      throw ::ca3::Error(::ca3::detail::concat("internal error: ", #condition, " at ", \
                                               __FILE__, ":", __LINE__));              \
  } while (0)
