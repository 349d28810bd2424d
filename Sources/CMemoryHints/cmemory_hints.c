// The hints are inline functions in the header; SwiftPM needs one source file per C target.
#include "cmemory_hints.h"
