#include "cfuzz_driver.h"
