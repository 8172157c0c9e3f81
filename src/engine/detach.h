/* Detaching from every tracee (detach.c). */
#ifndef PTRC_ENGINE_DETACH_H
#define PTRC_ENGINE_DETACH_H

struct engine;

/* Interrupt each tracee and detach it from the stop it reports, passing
 * on a signal that was about to be delivered; the extension puts back
 * what it changed first. Gives up after 3 s (the kernel detaches the rest
 * as ptrc exits). Runs the tick, and leaves it running. */
void detach_everything(struct engine *e);

#endif
