/* platform_cortex_m.c: a bare-metal Cortex-M4's console (ARM semihosting, which qemu and debug
 * probes serve) and the zeroing of the DTCM pool placed by dtcm_pool.ld. */
#include <stdint.h>

#include "platform.h"

void platform_print(const char* text) {
  register uint32_t operation __asm__("r0") = 0x04u; /* SYS_WRITE0 */
  register const char* argument __asm__("r1") = text;
  __asm__ volatile("bkpt 0xab" : "+r"(operation) : "r"(argument) : "memory");
}

/* From dtcm_pool.ld. */
extern uint8_t __dtcm_pool_start__[];
extern uint8_t __dtcm_pool_end__[];

void platform_zero_section_pools(void) {
  uint8_t* p;
  for (p = __dtcm_pool_start__; p < __dtcm_pool_end__; ++p) *p = 0;
}
