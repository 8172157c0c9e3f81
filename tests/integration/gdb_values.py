# Run inside gdb (python exec): every frame of the selected thread, from the
# innermost, with its arguments and the locals of the blocks that enclose
# its pc, as gdb prints them; one JSON list written to the file named by
# GDB_VALUES_OUT (set by an earlier `python GDB_VALUES_OUT = ...`).
import json

import gdb


def value_text(sym, frame):
    try:
        value = sym.value(frame)
        text = str(value)
        # `info args` shows a reference with its object; str() does not
        # (a pretty-printed one has no "@": the printer's text is kept)
        if (value.type.strip_typedefs().code in
                (gdb.TYPE_CODE_REF, gdb.TYPE_CODE_RVALUE_REF)
                and text.startswith("@")):
            text += ": " + str(value.referenced_value())
        return text
    except gdb.MemoryError as e:
        return "<error: %s>" % e
    except gdb.error as e:
        return "<error: %s>" % e


def frame_vars(frame):
    params, local_vars = [], []
    try:
        block = frame.block()
    except RuntimeError:
        return None
    while block is not None:
        for sym in block:
            if sym.is_argument:
                if block.function is not None:
                    params.append((sym.name, value_text(sym, frame)))
            elif sym.is_variable or sym.is_constant:
                local_vars.append((sym.name, value_text(sym, frame)))
        if block.function is not None:
            break
        block = block.superblock
    return {"params": params, "locals": local_vars}


frames = []
frame = gdb.newest_frame()
while frame is not None:
    entry = {"function": frame.name(), "inlined":
             frame.type() == gdb.INLINE_FRAME, "vars": frame_vars(frame)}
    frames.append(entry)
    frame = frame.older()
with open(GDB_VALUES_OUT, "w") as f:  # noqa: F821 (set by the caller)
    json.dump(frames, f)
