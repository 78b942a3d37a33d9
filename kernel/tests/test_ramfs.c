/* Host tests for the RAM filesystem's tree and file contents
 * (kernel/fs/ramfs.c, kernel/fs/ramdata.c, with kernel/mm/pmm.c) on
 * simulated memory (shim/sim_machine.h): frames are counted, so the tests
 * prove that deleting gives back exactly what writing took.  The modules
 * keep static state: main forces Check's fork mode. */
#include "fs/inode.h"
#include "fs/fileops.h"
#include "mm/pmm.h"
#include "lib/errno.h"
#include "ut.h"
#include "sim_machine.h"

#define BASE 0x100000UL
#define NFR 256                    /* 1 MiB of simulated RAM: files may take 128 frames */

static size_t free0;
static long live0;

/* The kernel services ramfs.c and ramdata.c use, host versions: a clock
 * that ticks once per reading, and user copies where "user" addresses are
 * host pointers. */
static u64 fake_ns;
u64 clock_ns(void) { return fake_ns += 1000; }
i64 wall_clock_offset_ns(void) { return 0; }

size_t fs_copyin(void *dst, uptr src, size_t n)
{
	memcpy(dst, (const void *)src, n);
	return n;
}

size_t fs_copyout(uptr dst, const void *src, size_t n)
{
	memcpy((void *)dst, src, n);
	return n;
}

static void setup(void)
{
	sim_ram_init(BASE + NFR * PAGE_SIZE);
	pmm_add_region(BASE, NFR * PAGE_SIZE);
	ramfs_init();
	free0 = pmm_free_frames();
	live0 = sim_kmalloc_live;
}

/* A new regular file or directory name in dir. */
static struct inode *add(struct inode *dir, const char *name, u32 mode)
{
	struct inode *ip = inode_new(mode);

	ck_assert_ptr_nonnull(ip);
	ck_assert_int_eq(dir_link(dir, name, strlen(name), ip), 0);
	return ip;
}

START_TEST(entries_keep_creation_order_and_cookies_never_repeat)
{
	struct inode *root = ramfs_root();
	struct dentry *a, *b, *c, *d;

	add(root, "b", S_IFREG | 0644);
	add(root, "a", S_IFREG | 0644);
	add(root, "c", S_IFREG | 0644);
	b = dir_lookup(root, "b", 1);
	a = dir_lookup(root, "a", 1);
	c = dir_lookup(root, "c", 1);
	ck_assert(b && a && c);
	ck_assert_ptr_eq(root->dir.first, b);
	ck_assert(b->cookie >= 2 && b->cookie < a->cookie && a->cookie < c->cookie);
	/* a reader at a's position keeps going after a is removed */
	u64 pos = a->cookie;
	inode_put(dir_unlink(root, a));
	ck_assert_ptr_eq(dir_entry_from(root, pos), c);
	add(root, "a", S_IFREG | 0644);
	d = dir_lookup(root, "a", 1);
	ck_assert(d->cookie > c->cookie);     /* a new name comes last */
	ck_assert_ptr_eq(dir_entry_from(root, c->cookie + 1), d);
	ck_assert_ptr_null(dir_entry_from(root, d->cookie + 1));
	ck_assert_ptr_eq(dir_entry_from(root, 0), b);
}
END_TEST

START_TEST(directory_link_counts_and_paths)
{
	struct inode *root = ramfs_root(), *usr, *lib;
	char buf[64];
	u32 root_links = root->nlink;

	usr = add(root, "usr", S_IFDIR | 0755);
	lib = add(usr, "lib", S_IFDIR | 0755);
	ck_assert_uint_eq(usr->nlink, 3);          /* name, ".", lib's ".." */
	ck_assert_uint_eq(lib->nlink, 2);
	ck_assert_uint_eq(root->nlink, root_links + 1);
	ck_assert_ptr_eq(lib->dir.parent, usr);
	ck_assert_int_eq(dir_path(lib, buf, sizeof buf), 8);
	ck_assert_str_eq(buf, "/usr/lib");
	ck_assert_int_eq(dir_path(root, buf, sizeof buf), 1);
	ck_assert_str_eq(buf, "/");
	ck_assert_int_eq(dir_path(lib, buf, 8), -ERANGE);
	inode_get(lib);                            /* someone is in it */
	ck_assert(!dir_is_empty(usr));
	dir_unlink(usr, dir_lookup(usr, "lib", 3));
	ck_assert_uint_eq(usr->nlink, 2);
	ck_assert_uint_eq(lib->nlink, 0);
	ck_assert_ptr_null(lib->dir.parent);
	ck_assert_int_eq(dir_path(lib, buf, sizeof buf), -ENOENT);
	inode_put(lib);
	ck_assert(dir_is_empty(usr));
}
END_TEST

START_TEST(an_unlinked_inode_lives_while_held)
{
	struct inode *root = ramfs_root(), *f = add(root, "f", S_IFREG | 0644);

	ck_assert_int_eq(ramdata_write(f, 0, "data", 4), 4);
	inode_get(f);                              /* an open file */
	dir_unlink(root, dir_lookup(root, "f", 1));
	ck_assert_uint_eq(f->nlink, 0);
	ck_assert_uint_lt(pmm_free_frames(), free0);
	inode_put(f);                              /* the last close */
	ck_assert_uint_eq(pmm_free_frames(), free0);
	ck_assert_int_eq(sim_kmalloc_live, live0);
}
END_TEST

START_TEST(holes_read_as_zeros_and_take_no_frames)
{
	struct inode *f = inode_new(S_IFREG | 0644);
	char buf[16];

	ck_assert_int_eq(ramdata_write(f, 100000, "z", 1), 1);
	ck_assert_int_eq(f->size, 100001);
	ck_assert_uint_eq(f->reg.pages, 1);
	memset(buf, 'x', sizeof buf);
	ck_assert_uint_eq(ramdata_read(f, 99990, buf, sizeof buf), 11);
	for (int i = 0; i < 10; i++)
		ck_assert_int_eq(buf[i], 0);
	ck_assert_int_eq(buf[10], 'z');
	ck_assert_uint_eq(ramdata_read(f, 100001, buf, 1), 0);
	ramdata_free(f);
	kfree(f);
	ck_assert_uint_eq(pmm_free_frames(), free0);
}
END_TEST

START_TEST(truncate_frees_pages_and_regrowth_reads_zeros)
{
	struct inode *f = inode_new(S_IFREG | 0644);
	static char big[3 * 4096];
	char c;

	memset(big, 'q', sizeof big);
	ck_assert_int_eq(ramdata_write(f, 0, big, sizeof big), (long)sizeof big);
	ck_assert_uint_eq(f->reg.pages, 3);
	ck_assert_int_eq(ramdata_truncate(f, 5000), 0);
	ck_assert_uint_eq(f->reg.pages, 2);
	ck_assert_int_eq(ramdata_truncate(f, 9000), 0);
	ck_assert_uint_eq(ramdata_read(f, 4999, &c, 1), 1);
	ck_assert_int_eq(c, 'q');
	ck_assert_uint_eq(ramdata_read(f, 5000, &c, 1), 1);
	ck_assert_int_eq(c, 0);                    /* the old bytes past 5000 are gone */
	ck_assert_int_eq(ramdata_truncate(f, 0), 0);
	ck_assert_uint_eq(f->reg.pages, 0);
	ck_assert_uint_eq(pmm_free_frames(), free0);
	kfree(f);
}
END_TEST

START_TEST(archive_bytes_are_copied_at_the_first_change)
{
	static const char archive[] = "hello archive";
	struct inode *f = inode_new(S_IFREG | 0644);
	char buf[32] = { 0 };
	char user[2] = "X";

	f->reg.backing = (const u8 *)archive;
	f->size = 13;
	ck_assert_uint_eq(ramdata_read(f, 6, buf, sizeof buf), 7);
	ck_assert_str_eq(buf, "archive");
	ck_assert_uint_eq(pmm_free_frames(), free0);        /* read in place */
	ck_assert_int_eq(ramdata_write_user(f, 1, (uptr)user, 1), 1);
	ck_assert_ptr_null(f->reg.backing);
	ck_assert_uint_eq(ramdata_read(f, 0, buf, sizeof buf), 13);
	ck_assert(memcmp(buf, "hXllo archive", 13) == 0);
	ck_assert_str_eq(archive, "hello archive");         /* the archive never changes */
	ramdata_free(f);
	kfree(f);
	ck_assert_uint_eq(pmm_free_frames(), free0);
}
END_TEST

START_TEST(files_stop_at_half_of_memory_with_enospc)
{
	struct inode *f = inode_new(S_IFREG | 0644);
	static char page[4096];
	size_t used, limit;
	long n = 0, w;

	ramdata_usage(&used, &limit);
	ck_assert_uint_eq(limit, pmm_total_frames() / 2);
	while ((w = ramdata_write(f, n, page, sizeof page)) > 0)
		n += w;
	ck_assert_int_eq(w, -ENOSPC);
	ramdata_usage(&used, &limit);
	ck_assert_uint_eq(used, limit);
	ck_assert_uint_gt(pmm_free_frames(), 0);            /* the rest is left to others */
	ramdata_free(f);
	kfree(f);
	ramdata_usage(&used, &limit);
	ck_assert_uint_eq(used, 0);
	ck_assert_uint_eq(pmm_free_frames(), free0);
}
END_TEST

static Suite *ramfs_suite(void)
{
	Suite *s = suite_create("ramfs");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, entries_keep_creation_order_and_cookies_never_repeat);
	tcase_add_test(tc, directory_link_counts_and_paths);
	tcase_add_test(tc, an_unlinked_inode_lives_while_held);
	tcase_add_test(tc, holes_read_as_zeros_and_take_no_frames);
	tcase_add_test(tc, truncate_frees_pages_and_regrowth_reads_zeros);
	tcase_add_test(tc, archive_bytes_are_copied_at_the_first_change);
	tcase_add_test(tc, files_stop_at_half_of_memory_with_enospc);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	setenv("CK_FORK", "yes", 1);       /* fresh ramfs and pmm state per test */
	return ut_run(ramfs_suite());
}
