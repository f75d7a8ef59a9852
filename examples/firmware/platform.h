/* platform.h: the two things main.c needs from the board. */
#ifndef EXAMPLE_PLATFORM_H_
#define EXAMPLE_PLATFORM_H_

/* Writes a NUL-terminated string to the console (stdout, or semihosting on the Cortex-M4). */
void platform_print(const char* text);

/* Zeroes the pools the linker script places in their own NOLOAD section (dtcm_pool.ld), when
 * the application wants them zeroed; the generated code itself never reads a byte it did not
 * write, so leaving them is fine too. No-op on the host. */
void platform_zero_section_pools(void);

#endif /* EXAMPLE_PLATFORM_H_ */
