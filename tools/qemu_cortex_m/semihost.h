/* semihost.h: the two ARM semihosting calls the test needs (SYS_WRITE0, SYS_EXIT_EXTENDED).
 * M-profile traps semihosting with "bkpt 0xab"; qemu serves it with -semihosting-config enable=on. */
#ifndef QEMU_CM_SEMIHOST_H_
#define QEMU_CM_SEMIHOST_H_

#include <stdint.h>

/* Writes a NUL-terminated string to the host console. */
void sh_write0(const char* s);
/* Writes an unsigned / signed decimal number. */
void sh_write_u32(uint32_t v);
void sh_write_i32(int32_t v);
/* Writes v as two hex digits. */
void sh_write_hex8(uint8_t v);
/* Ends the emulation with this exit status (qemu exits with it). Never returns. */
void sh_exit(int32_t status) __attribute__((noreturn));

#endif /* QEMU_CM_SEMIHOST_H_ */
