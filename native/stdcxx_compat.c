/*
 * libnoether_stdcxx_compat.so: one no-op function, std::ios_base_library_init().
 *
 * Why: libLibTorchSharp.so (TorchSharp 0.107) was linked with GCC 13, whose libstdc++ exports
 * std::ios_base_library_init() at version GLIBCXX_3.4.32 and makes every C++ object that includes
 * <iostream> reference it. Older libstdc++ (Debian 12, Ubuntu 22.04: up to GLIBCXX_3.4.30) lacks
 * the symbol and initialises the standard streams itself, so an empty definition is correct there.
 * The build's TorchSharp compatibility step (build/NoetherTheory.TorchCompat.targets) adds this
 * library as a DT_NEEDED entry of the build output's copy of libLibTorchSharp.so.
 *
 * The C function below carries the Itanium-mangled name of `void std::ios_base_library_init()`,
 * so no C++ compiler is needed.
 */
__attribute__((visibility("default"))) void _ZSt21ios_base_library_initv(void)
{
}
