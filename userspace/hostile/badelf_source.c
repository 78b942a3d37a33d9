/*
 * The program scripts/gen_bad_elfs.py breaks into /usr/lib/badelf/.  Not
 * installed itself.  Should the kernel ever run one of the broken copies,
 * it exits with BADELF_RAN, which hostile_elf reports as such (instead of
 * a copy of a real program running on and hanging the test).
 */
#define BADELF_RAN 42

int main(void)
{
	return BADELF_RAN;
}
