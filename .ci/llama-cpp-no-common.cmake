# Leaves llama.cpp's "common" library out of llama-cpp-python's build.
#
# The README's install commands pass this file in CMAKE_ARGS as
# -DCMAKE_PROJECT_llama.cpp_INCLUDE=<this file>, so CMake runs it right after
# llama.cpp's project() call, before llama.cpp reads its options. It has to be
# done this way: llama-cpp-python sets LLAMA_BUILD_COMMON ON with FORCE, which
# overrides a plain -DLLAMA_BUILD_COMMON=OFF. Its Python package never loads
# that library (it loads libllama and libggml*, and libmtmd for images), yet
# compiling it is about 40% of the build's CPU time (llama-cpp-python 0.3.36).
# Should a later llama.cpp rename its project, this file is simply not run.
set(LLAMA_BUILD_COMMON OFF CACHE BOOL "llama.cpp common library, never loaded by llama_cpp" FORCE)
