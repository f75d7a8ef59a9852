/* platform_host.c: the host build's console. */
#include <stdio.h>

#include "platform.h"

void platform_print(const char* text) { fputs(text, stdout); }

void platform_zero_section_pools(void) {}
