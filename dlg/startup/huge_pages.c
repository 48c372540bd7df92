/* dlg starts without transparent huge pages.
 *
 * mimalloc asks for huge pages on the whole of its arena, so the first few allocations of a
 * start, made before `main` by the Rust runtime, would each bring in a 2 MiB page: an empty
 * script held 16 MB, a third of it such pages. This constructor runs before any of them;
 * dlg turns huge pages back on once its start-up work is done (dlg/src/cli/huge_pages.rs), so
 * the data a script or a check builds gets them. See docs/performance.md, "start-up memory". */
#include <sys/prctl.h>

__attribute__((constructor)) static void dlg_start_without_huge_pages(void) {
    prctl(PR_SET_THP_DISABLE, 1, 0, 0, 0);
}
