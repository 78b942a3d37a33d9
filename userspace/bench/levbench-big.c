/* levbench-big: an exec target with 1 MiB of initialised data, so exec has a
 * real image to load (levbench's "exec of a larger binary"). */
#define BIG (1 << 20)

static volatile char payload[BIG] = { 1 };

int main(void)
{
	return payload[0] - 1;
}
