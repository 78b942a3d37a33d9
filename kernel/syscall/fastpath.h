/* What the system call entry's fast path (arch/x86_64/syscall.S) reads of C
 * structures, as plain numbers an assembler file can use.  syscall.c checks
 * every one against the structures at compile time, so a change to
 * struct proc, struct sigstate or struct trapframe that moves a field fails
 * the build instead of the entry.  Only #defines: included by assembly. */
#ifndef SYSCALL_FASTPATH_H
#define SYSCALL_FASTPATH_H

/* signal_idle's fields (proc/signal.h), for the entry's recheck */
#define PROC_SIG_PENDING       5008  /* offsetof(struct proc, sig.pending) */
#define PROC_SIG_BLOCKED       5016  /* offsetof(struct proc, sig.blocked) */
#define PROC_SIG_RESTORE_SAVED 5032  /* offsetof(struct proc, sig.restore_saved), a bool */
#define PROC_SIG_RESTART_FN    5088  /* offsetof(struct proc, sig.restart_fn) */

/* struct trapframe (arch/x86_64/trapframe.h), byte offsets */
#define TF_CALLEE_SAVED 48           /* r15, r14, r13, r12, rbp, rbx: the first 6 words */
#define TF_R11    (6 * 8)
#define TF_RCX    (7 * 8)
#define TF_RAX    (8 * 8)
#define TF_RDI    (9 * 8)
#define TF_RSI    (10 * 8)
#define TF_RDX    (11 * 8)
#define TF_R10    (12 * 8)
#define TF_R8     (13 * 8)
#define TF_R9     (14 * 8)
#define TF_VECTOR (15 * 8)
#define TF_ERROR  (16 * 8)
#define TF_RIP    (17 * 8)
#define TF_CS     (18 * 8)
#define TF_RFLAGS (19 * 8)
#define TF_RSP    (20 * 8)
#define TF_SS     (21 * 8)
#define TF_SIZE   (22 * 8)

#endif
