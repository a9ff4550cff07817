"""The OpenBLAS kernel the running numpy loaded, which every anchor server reports first (server.py)."""
import ctypes


def openblas():
    """corename, config and thread count of the OpenBLAS numpy loaded (read from the process's mapped libraries)."""
    with open('/proc/self/maps') as f:
        paths = {line.split()[-1] for line in f if 'openblas' in line and line.split()[-1].startswith('/')}
    for path in sorted(paths):
        try:
            lib = ctypes.CDLL(path)
            lib.openblas_get_corename.restype = ctypes.c_char_p
            lib.openblas_get_config.restype = ctypes.c_char_p
            threads = lib.openblas_get_num_threads()
            return lib.openblas_get_corename().decode(), lib.openblas_get_config().decode(), threads
        except (OSError, AttributeError):
            continue
    return 'unknown (not OpenBLAS)', '', 1
