/* The trace writer.  A syscall is recorded when it returns (when it is entered
 * for calls that never return), decoded by its ABI table kinds; the whole line
 * goes out through trace/channel.c. */
#include "trace/trace.h"
#include "trace/json.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/multiboot.h"
#include "fs/file.h"
#include "mm/usercopy.h"
#include "proc/proc.h"
#include "lib/errno.h"
#include "lib/string.h"
#include "gen/syscall_nr.h"

#define IOV_MAX 1024
#define TRACE_ARGV_MAX 65536    /* argv/envp elements recorded; the record's size cuts first */

bool trace_enabled;
static u64 next_seq;

static const char *const errno_names[] = {
	[EPERM] = "EPERM", [ENOENT] = "ENOENT", [ESRCH] = "ESRCH", [EINTR] = "EINTR",
	[EIO] = "EIO", [ENXIO] = "ENXIO", [E2BIG] = "E2BIG", [ENOEXEC] = "ENOEXEC",
	[EBADF] = "EBADF", [ECHILD] = "ECHILD", [EAGAIN] = "EAGAIN", [ENOMEM] = "ENOMEM",
	[EACCES] = "EACCES", [EFAULT] = "EFAULT", [EBUSY] = "EBUSY", [EEXIST] = "EEXIST",
	[ENODEV] = "ENODEV", [ENOTDIR] = "ENOTDIR", [EISDIR] = "EISDIR", [EINVAL] = "EINVAL",
	[ENFILE] = "ENFILE", [EMFILE] = "EMFILE", [ENOTTY] = "ENOTTY", [EFBIG] = "EFBIG",
	[ENOSPC] = "ENOSPC", [ESPIPE] = "ESPIPE", [EROFS] = "EROFS", [EPIPE] = "EPIPE",
	[ERANGE] = "ERANGE", [ENAMETOOLONG] = "ENAMETOOLONG", [ENOSYS] = "ENOSYS",
	[ENOTEMPTY] = "ENOTEMPTY", [ELOOP] = "ELOOP",
};

/* A call interrupted by a signal returns one of these inside the kernel;
 * the record shows it (as strace does), then the return to user mode turns
 * it into EINTR or runs the call again (a new record). */
static const char *const restart_names[] = {
	"ERESTARTSYS", "ERESTARTNOINTR", "ERESTARTNOHAND", NULL, "ERESTART_RESTARTBLOCK",
};

/* Every record is built REC_HEAD bytes into its buffer (record_init), so its
 * {"seq":N, prefix goes in front of it and the line leaves in one write. */
#define REC_HEAD 32

/* A record body of `size` bytes (limits as json_init's) after the room for
 * its prefix: buf holds REC_HEAD + size bytes. */
static struct json record_init(char *buf, size_t size)
{
	return json_init(buf + REC_HEAD, size);
}

/* Send one finished record: the seq prefix, written backwards in front of
 * the body, then the whole line. */
static void emit(struct json *j)
{
	char *start = json_digits(j->buf - 1, next_seq++);

	j->buf[-1] = ',';
	start -= 7;
	__builtin_memcpy(start, "{\"seq\":", 7);
	json_end(j);
	trace_write(start, (size_t)(j->buf + j->len - start));
}

/* A NUL-terminated user string, whole (read a chunk at a time), or
 * {"fault":addr} when its start is bad.  Only the record buffer bounds it:
 * past that the record is marked "trunc". */
static void put_user_cstr(struct json *j, uptr u)
{
	char s[256];
	long n = copyinstr(s, u, sizeof(s));

	if (n == -EFAULT) {
		json_raw(j, "{\"fault\":");
		json_hex(j, u);
		json_raw(j, "}");
		return;
	}
	json_raw(j, "\"");
	while (n == -ENAMETOOLONG && !j->cut) {    /* no NUL yet: sizeof(s) - 1 chars came */
		json_bytes_inner(j, s, sizeof(s) - 1);
		u += sizeof(s) - 1;
		n = copyinstr(s, u, sizeof(s));
	}
	if (n >= 0)
		json_bytes_inner(j, s, (size_t)n);
	json_raw(j, "\"");
}

/* A NULL-terminated user array of strings: elements until the NULL, a bad
 * pointer, TRACE_ARGV_MAX elements or the record's soft limit (then cut). */
static void put_user_argv(struct json *j, uptr u)
{
	json_raw(j, "[");
	for (int i = 0; u && json_room(j); i++, u += 8) {
		u64 s;
		if (fetch_u64(u, &s) < 0 || !s)
			break;
		if (i == TRACE_ARGV_MAX) {
			j->cut = true;
			break;
		}
		if (i)
			json_raw(j, ",");
		put_user_cstr(j, s);
	}
	json_raw(j, "]");
}

/* Append up to n bytes of user memory at u as string content; stops at a
 * bad address.  Returns how many were shown. */
static size_t put_user_bytes(struct json *j, uptr u, size_t n)
{
	char chunk[256];
	size_t done = 0;

	while (done < n) {
		size_t c = MIN(sizeof(chunk), n - done);
		if (copyin(chunk, u + done, c) < 0)
			break;
		json_bytes_inner(j, chunk, c);
		done += c;
	}
	return done;
}

/* Close a {"data":"...  opened by the caller: the full length, and "trunc"
 * when fewer bytes were shown. */
static void end_buf(struct json *j, size_t shown, size_t total)
{
	json_raw(j, "\",\"len\":");
	json_u64(j, total);
	if (shown < total)
		json_raw(j, ",\"trunc\":true");
	json_raw(j, "}");
}

/* {"data":...,"len":n} from user memory, cut at `cut` bytes. */
static void put_user_buf(struct json *j, uptr u, size_t n, size_t cut)
{
	json_raw(j, "{\"data\":\"");
	end_buf(j, put_user_bytes(j, u, MIN(n, cut)), n);
}

/* writev's data: all iovec bytes in order, cut at TRACE_BUF_CUT in all. */
static void put_user_iov(struct json *j, uptr iov, long cnt)
{
	size_t total = 0, shown = 0;

	json_raw(j, "{\"data\":\"");
	for (long i = 0; i < cnt && i < IOV_MAX && !j->cut; i++) {
		u64 v[2];
		if (copyin(v, iov + i * 16, sizeof(v)) < 0)
			break;
		total += v[1];
		shown += put_user_bytes(j, v[0], MIN(v[1], TRACE_BUF_CUT - shown));
	}
	end_buf(j, shown, total);
}

static bool is_output(const struct syscall_arg *a)
{
	return a->kind == ARG_BUF_OUT || a->kind == ARG_FDS_OUT;
}

static void put_arg(struct json *j, const struct syscall_desc *d, int i, const u64 *a)
{
	const struct syscall_arg *arg = &d->args[i];

	json_key(j, arg->name);
	switch (arg->kind) {
	case ARG_INT: case ARG_FD: case ARG_PID: case ARG_OFF:
		json_i64(j, (i64)a[i]);
		break;
	case ARG_UINT: case ARG_SIZE: case ARG_FLAGS:
		json_u64(j, a[i]);
		break;
	case ARG_CSTR:
		put_user_cstr(j, a[i]);
		break;
	case ARG_ARGV:
		put_user_argv(j, a[i]);
		break;
	case ARG_BUF_IN:
		put_user_buf(j, a[i], a[arg->len], TRACE_BUF_CUT);
		break;
	case ARG_IOV_IN:
		put_user_iov(j, a[i], (long)a[arg->len]);
		break;
	default:                       /* ARG_PTR */
		json_hex(j, a[i]);
	}
}

/* Records are built in one buffer: the kernel finishes a record before it can
 * start another (syscalls are formatted at exit and emitted at once, and
 * nothing preempts the kernel between the two). */
#define RECORD_SIZE (512 * 1024)
static char record[REC_HEAD + RECORD_SIZE];

/* ,"nr":N,"name":"NAME","args":{ for each number below NAMED_MAX, written
 * once by the code below (so the same bytes) and copied after that: most of
 * a short record, and under TCG a copy is far cheaper than formatting. */
#define NAMED_MAX 512
static struct { u8 len; char text[63]; } named[NAMED_MAX];

static void put_nr_name(struct json *j, u64 nr, const struct syscall_desc *d)
{
	json_raw(j, ",\"nr\":");
	json_u64(j, nr);
	json_raw(j, ",\"name\":");
	if (d)
		json_str(j, d->name);
	else
		json_raw(j, "null");
	json_raw(j, ",\"args\":{");
}

/* put_nr_name from the cache, filling it on a number's first record. */
static void put_nr_name_cached(struct json *j, u64 nr, const struct syscall_desc *d)
{
	struct json c;

	if (nr >= NAMED_MAX || !d) {
		put_nr_name(j, nr, d);
		return;
	}
	if (!named[nr].len) {
		c = (struct json){ named[nr].text, 0, sizeof(named[nr].text),
				   sizeof(named[nr].text), false };
		put_nr_name(&c, nr, d);
		if (c.cut) {                   /* a name too long to keep */
			put_nr_name(j, nr, d);
			return;
		}
		named[nr].len = (u8)c.len;
	}
	json_put(j, named[nr].text, named[nr].len);
}

/* Everything of a syscall record after "seq", up to the open args object. */
static void put_syscall(struct json *j, u64 nr, const struct syscall_desc *d, const u64 *args)
{
	json_raw(j, "\"type\":\"syscall\",\"pid\":");
	json_i64(j, myproc()->pid);
	put_nr_name_cached(j, nr, d);
	for (int i = 0; d && i < d->nargs; i++)
		if (!is_output(&d->args[i]))
			put_arg(j, d, i, args);
}

/* The two descriptors a pipe call wrote, or null when it failed. */
static void put_user_fds(struct json *j, uptr u, long ret)
{
	int fds[2];

	if (ret < 0 || copyin(fds, u, sizeof(fds)) < 0) {
		json_raw(j, "null");
		return;
	}
	json_raw(j, "[");
	json_i64(j, fds[0]);
	json_raw(j, ",");
	json_i64(j, fds[1]);
	json_raw(j, "]");
}

/* Output arguments hold what the call produced: for buffers ret bytes (none
 * on error).  Console input is kept whole: it is what a replay feeds back. */
static void put_outputs(struct json *j, const struct syscall_desc *d, const u64 *args, long ret, bool input)
{
	for (int i = 0; d && i < d->nargs; i++) {
		if (!is_output(&d->args[i]))
			continue;
		json_key(j, d->args[i].name);
		if (d->args[i].kind == ARG_FDS_OUT)
			put_user_fds(j, args[i], ret);
		else if (ret >= 0)
			put_user_buf(j, args[i], (size_t)ret, input ? (size_t)ret : TRACE_BUF_CUT);
		else
			json_raw(j, "{\"len\":0}");
	}
}

static void put_ret(struct json *j, long ret)
{
	json_raw(j, "},\"ret\":");
	json_i64(j, ret);
	if (ret >= 0 || ret < -4095)
		return;
	json_raw(j, ",\"err\":");
	if (-ret < (long)ARRAY_LEN(errno_names) && errno_names[-ret])
		json_name(j, errno_names[-ret]);
	else if (-ret >= ERESTARTSYS && -ret <= ERESTART_RESTARTBLOCK && restart_names[-ret - ERESTARTSYS])
		json_name(j, restart_names[-ret - ERESTARTSYS]);
	else
		json_raw(j, "null");
}

/* execve's arguments live in the memory it replaces, so they are decoded at
 * entry; exec never sleeps, so the record buffer is still ours at exit. */
static size_t exec_prefix_len;
static bool exec_prefix_cut;

void trace_syscall_enter(u64 nr, const struct syscall_desc *d, const u64 *args)
{
	struct json j = record_init(record, RECORD_SIZE);

	if (nr == SYS_execve) {
		put_syscall(&j, nr, d, args);
		exec_prefix_len = j.len;
		exec_prefix_cut = j.cut;
		return;
	}
	/* Calls that do not return are recorded now, without a result. */
	if (!d || d->ret != RET_NORETURN || !d->call)
		return;
	put_syscall(&j, nr, d, args);
	json_raw(&j, "}");
	if (j.cut)
		json_raw(&j, ",\"trunc\":true");
	emit(&j);
}

void trace_syscall_exit(u64 nr, const struct syscall_desc *d, const u64 *args, long ret)
{
	struct json j = record_init(record, RECORD_SIZE);
	bool input = nr == SYS_read && ret >= 0 && fd_is_console((int)args[0]);

	if (nr == SYS_execve) {
		j.len = exec_prefix_len;
		j.cut = exec_prefix_cut;
	} else
		put_syscall(&j, nr, d, args);
	put_outputs(&j, d, args, ret, input);
	put_ret(&j, ret);
	if (input)
		json_raw(&j, ",\"input\":true");
	if (j.cut)
		json_raw(&j, ",\"trunc\":true");
	emit(&j);
}

void trace_boot(const char *cmdline)
{
	char buf[REC_HEAD + 2 * BOOT_CMDLINE_MAX];   /* room for a whole command line, escaped */
	struct json j = record_init(buf, sizeof(buf) - REC_HEAD - 4);

	if (!trace_enabled)
		return;
	json_raw(&j, "\"type\":\"boot\",\"format\":");
	json_u64(&j, TRACE_FORMAT);
	json_raw(&j, ",\"kernel\":\"levitate 0.1\",\"abi\":");
	json_str(&j, abi_hash);
	json_raw(&j, ",\"cmdline\":");
	json_str(&j, cmdline);
	emit(&j);
}

void trace_proc_exit(int pid, int status)
{
	char buf[REC_HEAD + 96];
	struct json j = record_init(buf, sizeof(buf) - REC_HEAD - 4);

	if (!trace_enabled)
		return;
	json_raw(&j, "\"type\":\"exit\",\"pid\":");
	json_i64(&j, pid);
	json_raw(&j, ",\"status\":");
	json_i64(&j, status);
	emit(&j);
}

void trace_fault(int pid, const struct trapframe *tf, int signal, u64 addr)
{
	char buf[REC_HEAD + 256];
	struct json j = record_init(buf, sizeof(buf) - REC_HEAD - 4);

	if (!trace_enabled)
		return;
	json_raw(&j, "\"type\":\"fault\",\"pid\":");
	json_i64(&j, pid);
	json_raw(&j, ",\"vector\":");
	json_u64(&j, tf->vector);
	json_raw(&j, ",\"error\":");
	json_u64(&j, tf->error);
	json_raw(&j, ",\"addr\":");
	json_hex(&j, addr);
	json_raw(&j, ",\"rip\":");
	json_hex(&j, tf->rip);
	json_raw(&j, ",\"signal\":");
	json_i64(&j, signal);
	emit(&j);
}

void trace_panic(const char *msg)
{
	char buf[REC_HEAD + 512];
	struct json j = record_init(buf, sizeof(buf) - REC_HEAD - 4);

	if (!trace_enabled)
		return;
	json_raw(&j, "\"type\":\"panic\",\"msg\":");
	json_str(&j, msg);
	emit(&j);
}

void trace_halt(int status)
{
	char buf[REC_HEAD + 64];
	struct json j = record_init(buf, sizeof(buf) - REC_HEAD - 4);

	if (!trace_enabled)
		return;
	json_raw(&j, "\"type\":\"halt\",\"status\":");
	json_i64(&j, status);
	emit(&j);
}

void trace_signal(int from, int to, int sig, int code, bool ignored)
{
	char buf[REC_HEAD + 160];
	struct json j = record_init(buf, sizeof(buf) - REC_HEAD - 4);

	if (!trace_enabled)
		return;
	json_raw(&j, "\"type\":\"signal\"");
	if (from) {
		json_raw(&j, ",\"pid\":");
		json_i64(&j, from);
	}
	json_raw(&j, ",\"to\":");
	json_i64(&j, to);
	json_raw(&j, ",\"sig\":");
	json_i64(&j, sig);
	json_raw(&j, ",\"code\":");
	json_i64(&j, code);
	if (ignored)
		json_raw(&j, ",\"ignored\":true");
	emit(&j);
}

void trace_sigdeliver(int pid, int sig, const char *action)
{
	char buf[REC_HEAD + JSON_SLACK + 64];
	struct json j = record_init(buf, sizeof(buf) - REC_HEAD - 4);

	if (!trace_enabled)
		return;
	json_raw(&j, "\"type\":\"sigdeliver\",\"pid\":");
	json_i64(&j, pid);
	json_raw(&j, ",\"sig\":");
	json_i64(&j, sig);
	json_raw(&j, ",\"action\":");
	json_str(&j, action);
	emit(&j);
}
