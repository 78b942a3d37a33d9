/* Linux x86-64 file ABI: the open/fcntl/seek constants and the structures that
 * fstat, getdents64 and ioctl(TIOCGWINSZ) write to user memory.  Values and
 * layouts are Linux's, so static musl programs work unchanged. */
#ifndef FS_FS_ABI_H
#define FS_FS_ABI_H

#include "lib/types.h"

/* open(2) flags (octal, as in Linux's asm-generic/fcntl.h) */
#define O_ACCMODE 03
#define O_RDONLY 00
#define O_WRONLY 01
#define O_RDWR 02
#define O_CREAT 0100
#define O_EXCL 0200
#define O_NOCTTY 0400
#define O_TRUNC 01000
#define O_APPEND 02000
#define O_NONBLOCK 04000
#define O_DIRECT 040000
#define O_LARGEFILE 0100000
#define O_DIRECTORY 0200000
#define O_NOFOLLOW 0400000
#define O_CLOEXEC 02000000

/* fcntl(2) commands */
#define F_DUPFD 0
#define F_GETFD 1
#define F_SETFD 2
#define F_GETFL 3
#define F_DUPFD_CLOEXEC 1030

#define SEEK_SET 0
#define SEEK_CUR 1
#define SEEK_END 2

#define AT_FDCWD (-100)
#define AT_SYMLINK_NOFOLLOW 0x100
#define AT_NO_AUTOMOUNT 0x800
#define AT_EMPTY_PATH 0x1000

#define PATH_MAX 4096     /* with the NUL */
#define NAME_MAX 255      /* one path component */

#define S_IFMT 0170000
#define S_IFIFO 0010000
#define S_IFCHR 0020000
#define S_IFDIR 0040000
#define S_IFREG 0100000
#define S_ISDIR(m) (((m) & S_IFMT) == S_IFDIR)
#define S_ISREG(m) (((m) & S_IFMT) == S_IFREG)

/* struct stat as the x86-64 kernel writes it (144 bytes). */
struct stat {
	u64 st_dev;
	u64 st_ino;
	u64 st_nlink;
	u32 st_mode;
	u32 st_uid;
	u32 st_gid;
	u32 __pad0;
	u64 st_rdev;
	i64 st_size;
	i64 st_blksize;
	i64 st_blocks;
	u64 st_atime, st_atime_nsec;
	u64 st_mtime, st_mtime_nsec;
	u64 st_ctime, st_ctime_nsec;
	i64 __unused[3];
};
_Static_assert(sizeof(struct stat) == 144, "struct stat must match Linux x86-64");

/* getdents64 record header; d_name (NUL-terminated) follows, and d_reclen
 * rounds the record up to 8 bytes. */
struct linux_dirent64 {
	u64 d_ino;
	i64 d_off;        /* file position of the next record */
	u16 d_reclen;
	u8 d_type;        /* S_IFMT >> 12: DT_DIR 4, DT_REG 8, ... */
	char d_name[];
} __attribute__((packed));
_Static_assert(sizeof(struct linux_dirent64) == 19, "dirent64 header is 19 bytes");

#define TIOCGWINSZ 0x5413
struct winsize {
	u16 ws_row;
	u16 ws_col;
	u16 ws_xpixel;
	u16 ws_ypixel;
};

#endif
