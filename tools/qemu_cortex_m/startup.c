/* startup.c: minimal bare-metal startup for qemu's mps2-an386 (Cortex-M4F) and mps2-an385 (Cortex-M3).
 * Vector table (initial SP + reset handler + fault handlers), .data copy, .bss zeroing, FPU enable,
 * main(), then exit through ARM semihosting so qemu terminates with main's status. */
#include <stdint.h>
#include <string.h>

#include "semihost.h"

/* Linker script symbols (mps2_an386.ld). */
extern uint32_t __data_load__[];
extern uint32_t __data_start__[];
extern uint32_t __data_end__[];
extern uint32_t __bss_start__[];
extern uint32_t __bss_end__[];
extern uint32_t __stack_top__[];

int main(void);

/* ---- semihosting ---- */
#define SYS_WRITE0 0x04u
#define SYS_EXIT 0x18u
#define SYS_EXIT_EXTENDED 0x20u
#define ADP_STOPPED_APPLICATION_EXIT 0x20026u
#define ADP_STOPPED_RUNTIME_ERROR_UNKNOWN 0x20023u

static uint32_t semihost_call(uint32_t op, const void* arg) {
  register uint32_t r0 __asm__("r0") = op;
  register const void* r1 __asm__("r1") = arg;
  __asm__ volatile("bkpt 0xab" : "+r"(r0) : "r"(r1) : "memory");
  return r0;
}

void sh_write0(const char* s) { (void)semihost_call(SYS_WRITE0, s); }

void sh_write_u32(uint32_t v) {
  char buf[11];
  int i = 10;
  buf[i] = '\0';
  do {
    buf[--i] = (char)('0' + v % 10u);
    v /= 10u;
  } while (v != 0u);
  sh_write0(&buf[i]);
}

void sh_write_i32(int32_t v) {
  if (v < 0) {
    sh_write0("-");
    sh_write_u32(0u - (uint32_t)v);
  } else {
    sh_write_u32((uint32_t)v);
  }
}

void sh_write_hex8(uint8_t v) {
  static const char digits[] = "0123456789abcdef";
  char buf[3];
  buf[0] = digits[v >> 4];
  buf[1] = digits[v & 0xfu];
  buf[2] = '\0';
  sh_write0(buf);
}

void sh_exit(int32_t status) {
  /* SYS_EXIT_EXTENDED takes {reason, subcode} and returns the subcode as qemu's exit status
   * (plain 32-bit SYS_EXIT can only say success/failure). */
  static volatile uint32_t block[2];
  block[0] = ADP_STOPPED_APPLICATION_EXIT;
  block[1] = (uint32_t)status;
  (void)semihost_call(SYS_EXIT_EXTENDED, (const void*)block);
  /* Fallback for hosts without the extended call. */
  (void)semihost_call(SYS_EXIT, (const void*)(uintptr_t)(status == 0 ? ADP_STOPPED_APPLICATION_EXIT
                                                                     : ADP_STOPPED_RUNTIME_ERROR_UNKNOWN));
  for (;;) {}
}

/* ---- exception handlers ---- */
void Reset_Handler(void) __attribute__((noreturn));
void Default_Handler(void) __attribute__((noreturn));

void Reset_Handler(void) {
#if defined(__ARM_FP)
  /* Full access to CP10/CP11 (the FPU) before any floating-point instruction runs. */
  volatile uint32_t* const cpacr = (volatile uint32_t*)0xE000ED88u;
  *cpacr |= (0xFu << 20);
  __asm__ volatile("dsb\n\tisb" ::: "memory");
#endif
  memcpy(__data_start__, __data_load__, (size_t)((uintptr_t)__data_end__ - (uintptr_t)__data_start__));
  memset(__bss_start__, 0, (size_t)((uintptr_t)__bss_end__ - (uintptr_t)__bss_start__));
  sh_exit(main());
}

static void fault(const char* what) __attribute__((noreturn));
static void fault(const char* what) {
  sh_write0("FAULT ");
  sh_write0(what);
  sh_write0("\n");
  sh_exit(3);
}

void NMI_Handler(void) { fault("NMI"); }
void HardFault_Handler(void) { fault("HardFault"); }
void MemManage_Handler(void) { fault("MemManage"); }
void BusFault_Handler(void) { fault("BusFault"); }
void UsageFault_Handler(void) { fault("UsageFault"); }
void Default_Handler(void) { fault("unexpected interrupt"); }

typedef void (*vector_t)(void);

/* Cortex-M vector table: word 0 the initial SP, then the handlers. 16 system entries + 16 IRQs. */
__attribute__((section(".vectors"), used)) const vector_t vector_table[32] = {
    (vector_t)(uintptr_t)__stack_top__,
    Reset_Handler,
    NMI_Handler,
    HardFault_Handler,
    MemManage_Handler,
    BusFault_Handler,
    UsageFault_Handler,
    0,
    0,
    0,
    0,
    Default_Handler, /* SVCall */
    Default_Handler, /* DebugMonitor */
    0,
    Default_Handler, /* PendSV */
    Default_Handler, /* SysTick */
    Default_Handler,
    Default_Handler,
    Default_Handler,
    Default_Handler,
    Default_Handler,
    Default_Handler,
    Default_Handler,
    Default_Handler,
    Default_Handler,
    Default_Handler,
    Default_Handler,
    Default_Handler,
    Default_Handler,
    Default_Handler,
    Default_Handler,
    Default_Handler,
};
