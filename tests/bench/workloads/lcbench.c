/* liblcbench.so: the library function lcall_loop calls, as small as a
 * call can be, so that a tracer's cost per library call is all that
 * shows. Named like the test fixture's (fixtures/lcfix.c) so that the
 * same -l / -e patterns apply. */
int lcfix_add(int a, int b)
{
	return a + b;
}
