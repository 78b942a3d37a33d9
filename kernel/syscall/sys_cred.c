/* User and group ids (proc/cred.h), with Linux's rules: a process whose
 * effective uid is 0 may set any id; another may only switch among its own
 * real, effective and saved ids.  Everything starts as root, so in practice
 * every call succeeds until a program gives root up. */
#include "proc/proc.h"
#include "proc/cred.h"
#include "mm/usercopy.h"
#include "lib/errno.h"
#include "lib/string.h"
#include "gen/syscall_decl.h"

#define NO_CHANGE 0xFFFFFFFFu        /* (uid_t)-1: leave this id as it is */

static struct cred *cred(void) { return &myproc()->cred; }
static bool root(void) { return cred()->euid == 0; }

long sys_getuid(void) { return cred()->uid; }
long sys_geteuid(void) { return cred()->euid; }
long sys_getgid(void) { return cred()->gid; }
long sys_getegid(void) { return cred()->egid; }

/* May a non-root process take id, given its current real/effective/saved? */
static bool one_of(u32 id, u32 r, u32 e, u32 s)
{
	return id == r || id == e || id == s;
}

/* setresuid/setresgid on one triple: each NO_CHANGE is kept; a non-root
 * caller may only use ids it already has (EPERM otherwise, nothing changed). */
static long set_triple(u32 *r, u32 *e, u32 *s, u32 nr, u32 ne, u32 ns)
{
	if (!root()) {
		if ((nr != NO_CHANGE && !one_of(nr, *r, *e, *s)) ||
		    (ne != NO_CHANGE && !one_of(ne, *r, *e, *s)) ||
		    (ns != NO_CHANGE && !one_of(ns, *r, *e, *s)))
			return -EPERM;
	}
	if (nr != NO_CHANGE)
		*r = nr;
	if (ne != NO_CHANGE)
		*e = ne;
	if (ns != NO_CHANGE)
		*s = ns;
	return 0;
}

long sys_setresuid(u64 r, u64 e, u64 s)
{
	struct cred *c = cred();

	return set_triple(&c->uid, &c->euid, &c->suid, (u32)r, (u32)e, (u32)s);
}

long sys_setresgid(u64 r, u64 e, u64 s)
{
	struct cred *c = cred();

	return set_triple(&c->gid, &c->egid, &c->sgid, (u32)r, (u32)e, (u32)s);
}

/* setuid/setgid on one triple: root sets all three; others only the
 * effective id, to their real or saved one (EPERM). */
static long set_id(u32 *r, u32 *e, u32 *s, u64 id)
{
	if ((u32)id == NO_CHANGE)
		return -EINVAL;
	if (root())
		return set_triple(r, e, s, (u32)id, (u32)id, (u32)id);
	if ((u32)id != *r && (u32)id != *s)
		return -EPERM;
	*e = (u32)id;
	return 0;
}

/* setreuid/setregid on one triple: as setresuid, a non-root real id only
 * from the real or effective one, and the saved id follows the new
 * effective one when the real id is set or the effective one moves off the
 * old real id. */
static long set_re(u32 *r, u32 *e, u32 *s, u32 nr, u32 ne)
{
	u32 ns = NO_CHANGE;

	if (nr != NO_CHANGE || (ne != NO_CHANGE && ne != *r))
		ns = ne != NO_CHANGE ? ne : *e;
	if (!root() && nr != NO_CHANGE && nr != *r && nr != *e)
		return -EPERM;
	return set_triple(r, e, s, nr, ne, ns);
}

long sys_setuid(u64 uid)
{
	struct cred *c = cred();

	return set_id(&c->uid, &c->euid, &c->suid, uid);
}

long sys_setgid(u64 gid)
{
	struct cred *c = cred();

	return set_id(&c->gid, &c->egid, &c->sgid, gid);
}

long sys_setreuid(u64 r, u64 e)
{
	struct cred *c = cred();

	return set_re(&c->uid, &c->euid, &c->suid, (u32)r, (u32)e);
}

long sys_setregid(u64 r, u64 e)
{
	struct cred *c = cred();

	return set_re(&c->gid, &c->egid, &c->sgid, (u32)r, (u32)e);
}

/* The three ids to three user addresses. */
static long put_triple(uptr ur, uptr ue, uptr us, u32 r, u32 e, u32 s)
{
	if (copyout(ur, &r, sizeof(r)) < 0 || copyout(ue, &e, sizeof(e)) < 0 ||
	    copyout(us, &s, sizeof(s)) < 0)
		return -EFAULT;
	return 0;
}

long sys_getresuid(uptr r, uptr e, uptr s)
{
	struct cred *c = cred();

	return put_triple(r, e, s, c->uid, c->euid, c->suid);
}

long sys_getresgid(uptr r, uptr e, uptr s)
{
	struct cred *c = cred();

	return put_triple(r, e, s, c->gid, c->egid, c->sgid);
}

/* size 0 asks for the count only; a smaller, non-zero size is EINVAL. */
long sys_getgroups(long size, uptr list)
{
	struct cred *c = cred();

	if (size < 0)
		return -EINVAL;
	if (size == 0)
		return c->ngroups;
	if ((u64)size < c->ngroups)
		return -EINVAL;
	if (c->ngroups && copyout(list, c->groups, c->ngroups * sizeof(u32)) < 0)
		return -EFAULT;
	return c->ngroups;
}

/* Root only (EPERM); more than NGROUPS_MAX groups is EINVAL. */
long sys_setgroups(long size, uptr list)
{
	struct cred *c = cred();
	u32 groups[NGROUPS_MAX];

	if (!root())
		return -EPERM;
	if (size < 0 || size > NGROUPS_MAX)
		return -EINVAL;
	if (size && copyin(groups, list, (size_t)size * sizeof(u32)) < 0)
		return -EFAULT;
	memcpy(c->groups, groups, (size_t)size * sizeof(u32));
	c->ngroups = (u32)size;
	return 0;
}
