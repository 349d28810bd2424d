/* OpenBLAS's CBLAS interface (pkg-config openblas gives the pthread variant's include dir). */
#include <cblas.h>
void openblas_set_num_threads(int num_threads);
int openblas_get_num_threads(void);
