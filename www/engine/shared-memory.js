// multiprocessing.shared_memory's blocks: named SharedArrayBuffers that the program and its
// processes all map. Python cannot address a SharedArrayBuffer (an interpreter's memory is
// its own WebAssembly memory), so each interpreter works on its own copy of a block, a
// bytearray whose memoryview is SharedMemory.buf, and the copies meet in the shared block at
// every call the interpreter makes into the page's bridge (a sleep, a queue's put or get, a
// lock, a process's start, join or end…): its changed bytes go out, then the block's bytes
// come in. A program whose processes take turns through those (as every correct one does:
// a lock, a queue, a join) sees what CPython would; a loop that spins on a byte without
// calling anything would wait forever here, and a write shows in another process at its
// writer's next call, not at once.
//
// Only the bytes a copy changed since it last met the block go out, so two processes writing
// different bytes never undo each other's writes.

/** Names are in the `given` map of a process's start as "shm:" + name. */
const GIVEN = "shm:";

/** The largest block: every interpreter that maps it holds a copy, and the page one more. */
export const BLOCK_MAX = 64 << 20;

/** One interpreter's copy of a block: its bytes meet `shared` at each sync(). */
class Mapping {
  #shared;
  #seen; // what the copy held when it last met the block
  #local; // the bytearray's PyProxy (held), whose buffer is the copy

  constructor(buffer, local) {
    this.#shared = new Uint8Array(buffer);
    this.#seen = new Uint8Array(buffer.byteLength);
    this.#local = local;
  }

  sync() {
    // The bytearray's bytes where they are now (the wasm memory may have grown and moved
    // the view's buffer since, never the bytearray: a memoryview of it is exported).
    const held = this.#local.getBuffer("u8");
    try {
      const local = held.data;
      const shared = this.#shared;
      const seen = this.#seen;
      for (let i = 0; i < local.length; i++) {
        if (local[i] !== seen[i]) shared[i] = local[i];
      }
      local.set(shared);
      seen.set(local);
    } finally {
      held.release();
    }
  }

  forget() {
    this.#local.destroy();
  }
}

/**
 * The `_pp` functions of an interpreter's shared memory blocks (playground.py's SharedMemory),
 * and sync(), which the worker calls around every call into the bridge. `blocks` maps name →
 * SharedArrayBuffer: the driver hands them to each process it starts (given()), which
 * adopt()s them.
 */
export function sharedMemoryBridge() {
  const blocks = new Map();
  const mappings = new Map();
  return {
    blocks,
    /** The blocks as a process's start gives them. */
    given: () => Object.fromEntries([...blocks].map(([name, b]) => [GIVEN + name, b])),
    adopt(given) {
      for (const [id, buffer] of Object.entries(given ?? {})) {
        if (id.startsWith(GIVEN) && !blocks.has(id.slice(GIVEN.length)))
          blocks.set(id.slice(GIVEN.length), buffer);
      }
    },
    sync() {
      for (const mapping of mappings.values()) mapping.sync();
    },
    functions: {
      /** A new block `name` of `size` bytes: false if one of that name exists. */
      shm_new(name, size) {
        if (blocks.has(name)) return false;
        if (size > BLOCK_MAX) {
          throw new RangeError(
            `a shared memory block here holds at most ${BLOCK_MAX >> 20} MiB (each process that maps it holds a copy)`,
          );
        }
        blocks.set(name, new SharedArrayBuffer(size));
        return true;
      },
      /** Block `name`'s size, or -1 if this interpreter knows none of that name. */
      shm_size: (name) => blocks.get(name)?.byteLength ?? -1,
      /** Maps block `name` to `local`, a bytearray of its size: the copy this interpreter uses. */
      shm_map(name, local) {
        const mapping = new Mapping(blocks.get(name), local.copy());
        mappings.get(name)?.forget();
        mappings.set(name, mapping);
        mapping.sync();
      },
      /** This interpreter no longer uses its copy of `name` (all its SharedMemory closed). */
      shm_unmap(name) {
        const mapping = mappings.get(name);
        mapping?.sync();
        mapping?.forget();
        mappings.delete(name);
      },
      /** The name is gone: attaching to it fails from now on (those attached keep it). */
      shm_unlink: (name) => blocks.delete(name),
    },
  };
}

/** `functions` with `sync()` before and after each: the points where copies meet their blocks. */
export function synced(functions, sync) {
  return Object.fromEntries(
    Object.entries(functions).map(([name, fn]) => [
      name,
      (...args) => {
        sync();
        try {
          return fn(...args);
        } finally {
          sync();
        }
      },
    ]),
  );
}
