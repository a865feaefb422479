/*
 * libLibTorchSharp.so (guard): catches the C++ exceptions that TorchSharp's own native layer lets escape.
 *
 * Why: every THS* entry point of TorchSharp 0.107's native library is meant to catch libtorch's exceptions,
 * store the message (read back by THSTorch_get_and_reset_last_err) and return a null result, which the
 * managed side turns into an ExternalException. A few entry points have no such handler; THSTensor_matmul is
 * one (its only landing pad frees the result box and resumes unwinding). An exception thrown there unwinds
 * into the JIT-compiled caller, which has no unwind tables the C++ runtime can read, so the runtime calls
 * std::terminate: "terminate called after throwing an instance of 'c10::Error'" and SIGABRT, from a mere
 * shape mismatch. See README, "TorchSharp compatibility step".
 *
 * How: the build's compatibility step (eng/NoetherTheory.TorchCompat.targets) renames the package's library
 * to libnoether_torchsharp_impl.so (soname included) and builds this file as libLibTorchSharp.so with the
 * renamed library as its DT_NEEDED entry. The runtime looks each P/Invoke up with dlsym on this library's
 * handle, which searches this library first and then its dependencies: the functions defined here win, every
 * other THS* symbol resolves to the package's library unchanged.
 *
 * The wrappers call the package's function, catch anything it throws, keep the message in a thread-local
 * slot and return null. THSTorch_get_and_reset_last_err hands that message over first (allocated with
 * malloc, like the package's own messages), so the managed side raises its usual exception.
 */
#include <dlfcn.h>

#include <cstdlib>
#include <cstring>
#include <exception>

namespace
{
constexpr const char* ImplLibrary = "libnoether_torchsharp_impl.so";

thread_local char* pendingError = nullptr;

// The package's definition of `name` (its library is already loaded: it is this library's DT_NEEDED entry).
void* Original(const char* name)
{
    static void* const handle = dlopen(ImplLibrary, RTLD_NOW | RTLD_NOLOAD);
    void* symbol = handle != nullptr ? dlsym(handle, name) : nullptr;
    if (symbol == nullptr) std::abort(); // the build pairs this file with the package's library; cannot happen
    return symbol;
}

void Remember(const char* message)
{
    std::free(pendingError);
    pendingError = strdup(message != nullptr ? message : "(no message)");
}

// Runs call(); on a C++ exception stores its message and returns `failed`.
template <typename Result, typename Call>
Result Guarded(Result failed, Call call)
{
    try
    {
        return call();
    }
    catch (const std::exception& e)
    {
        Remember(e.what());
    }
    catch (...)
    {
        Remember("unknown C++ exception in TorchSharp's native layer");
    }
    return failed;
}
} // namespace

extern "C" {

using Tensor = void*;

__attribute__((visibility("default"))) Tensor THSTensor_matmul(Tensor left, Tensor right)
{
    using Fn = Tensor (*)(Tensor, Tensor);
    static const Fn original = reinterpret_cast<Fn>(Original("THSTensor_matmul"));
    return Guarded<Tensor>(nullptr, [&] { return original(left, right); });
}

__attribute__((visibility("default"))) char* THSTorch_get_and_reset_last_err()
{
    using Fn = char* (*)();
    static const Fn original = reinterpret_cast<Fn>(Original("THSTorch_get_and_reset_last_err"));
    if (pendingError != nullptr)
    {
        char* message = pendingError;
        pendingError = nullptr;
        return message;
    }
    return original();
}

} // extern "C"
