/* The one header of the CMilvus module: libmilvus's C API. */
#include <milvus.h>
