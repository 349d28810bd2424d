// The scan is an inline function in the header; SwiftPM needs one source file per C target.
#include "cbyte_scan.h"
