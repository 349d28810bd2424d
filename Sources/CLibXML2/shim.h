/* Debian's libxml2 is built with ICU: encoding.h would pull <unicode/ucnv.h>, whose enums clash
   with Foundation's private ICU copy at compile time. Hiding the flag keeps the two apart. */
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED
#include <libxml/HTMLparser.h>
#include <libxml/tree.h>
#include <libxml/xpath.h>
#include <libxml/parserInternals.h>
