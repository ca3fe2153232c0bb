// zlib for the gzip fuzz target (the main package's CZlib is not a product).
#include <zlib.h>
