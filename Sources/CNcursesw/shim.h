#ifndef BNLAB_NCURSES_SHIM_H
#define BNLAB_NCURSES_SHIM_H
#define _XOPEN_SOURCE_EXTENDED 1
#include <locale.h>
#include <ncursesw/curses.h>

// Swift 6 strict concurrency rejects reads of the C globals COLS, LINES and stdscr;
// these accessors keep strict concurrency on.
static inline int bnlab_cols(void) { return COLS; }
static inline int bnlab_lines(void) { return LINES; }
static inline WINDOW *bnlab_stdscr(void) { return stdscr; }
#endif
