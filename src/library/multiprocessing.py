"""Process-based parallelism, with CPython's start methods as seen on Linux.

gilsim's version of CPython 3.11's Lib/multiprocessing (process.py, pool.py, context.py
and spawn.py in one module), on top of `_gilsim_process`. Each worker is a new gilsim
process that imports the main script as `__mp_main__`, so code at the top level of the
script runs again in every worker and `if __name__ == "__main__":` guards matter. Functions
and classes travel by module and qualified name, values by value.

Every blocking wait is either a `_gilsim_process` call that gives up the interpreter lock
or a threading primitive, so deadlock detection sees it.

The default start method is 'fork', as on Linux: a worker still imports the main script,
but stops where its parent started it, keeping the definitions made so far and printing
nothing, which is the state a forked child starts in, so unguarded scripts run as they do
under CPython on Linux. 'spawn' (and 'forkserver', treated as spawn) makes starting a
process while the script is being imported CPython's bootstrapping error.

Differences from CPython: under 'fork', the script's top-level code before that point runs
again in the worker, with its time.sleep() calls skipped (a forked child would inherit its
results instead); when a pool worker dies, the
task it was running and those still queued fail with BrokenProcessPool instead of waiting
for ever (bpo-22393); Pipe and Queue ends reach a child only as arguments of Process
(not through a Pool, nor inside another object), Queue.qsize() is NotImplementedError (as
on macOS), and Queue.put writes at once instead of through a feeder thread, so it blocks
while the pipe is full; no Manager or shared memory.
"""

import _gilsim_process as _p
import _thread
import os
import queue
import sys
import threading

__all__ = [
    'Process', 'current_process', 'active_children', 'parent_process', 'cpu_count',
    'Pool', 'TimeoutError', 'ProcessError', 'AuthenticationError', 'BufferTooShort',
    'get_context', 'set_start_method', 'get_start_method', 'get_all_start_methods',
    'freeze_support', 'Pipe', 'Queue', 'SimpleQueue',
]


# ---- Lib/multiprocessing/context.py ----

class ProcessError(Exception):
    __module__ = 'multiprocessing.context'


class BufferTooShort(ProcessError):
    __module__ = 'multiprocessing.context'


class TimeoutError(ProcessError):
    __module__ = 'multiprocessing.context'


class AuthenticationError(ProcessError):
    __module__ = 'multiprocessing.context'


_start_method = None


def set_start_method(method, force=False):
    global _start_method
    if _start_method is not None and not force:
        raise RuntimeError('context has already been set')
    if method not in ('spawn', 'fork', 'forkserver', None):
        raise ValueError('cannot find context for %r' % method)
    _start_method = method


def get_start_method(allow_none=False):
    if _start_method is None and not allow_none:
        return 'fork'
    return _start_method


def _method_of(context):
    """The start method a pool or process made with `context` (None: the default) uses."""
    return context.get_start_method() if context is not None else get_start_method()


def _process_class_name(method):
    # context.py: each context's Process class, whose name names its processes.
    return {'fork': 'ForkProcess', 'spawn': 'SpawnProcess',
            'forkserver': 'ForkServerProcess'}[method]


def get_all_start_methods():
    return ['spawn', 'fork', 'forkserver']


class _Context:
    """What get_context() returns: the module's API, with this context's start method."""

    def __init__(self, method):
        self._name = method

    def get_start_method(self, allow_none=False):
        return self._name

    def Process(self, *args, **kwargs):
        p = Process(*args, **kwargs)
        p._start_method = self._name
        if kwargs.get('name') is None and (len(args) < 3 or args[2] is None):
            p._name = '%s-%d' % (_process_class_name(self._name), p._identity[0])
        return p

    def Pool(self, processes=None, initializer=None, initargs=(), maxtasksperchild=None):
        return Pool(processes, initializer, initargs, maxtasksperchild, context=self)

    def cpu_count(self):
        return cpu_count()

    def Pipe(self, duplex=True):
        return Pipe(duplex)

    def Queue(self, maxsize=0):
        return Queue(maxsize)

    def SimpleQueue(self):
        return SimpleQueue()

    def current_process(self):
        return current_process()


def get_context(method=None):
    if method not in ('spawn', 'fork', 'forkserver', None):
        raise ValueError('cannot find context for %r' % method)
    return _Context(method or get_start_method())


def freeze_support():
    pass


def cpu_count():
    """Returns the number of CPUs in the system."""
    return _p.cpu_count()


# ---- Lib/multiprocessing/process.py ----

_process_counter = 0
_counter_lock = threading.Lock()
_children = set()


def _next_identity():
    # process.py `_process_counter`: one count for every process this one starts.
    global _process_counter
    with _counter_lock:
        _process_counter += 1
        return _process_counter


class _CurrentProcess:
    """current_process() in this process: MainProcess, or the worker's own name. While a
    worker still imports the main script it is MainProcess, not daemonic, as in CPython,
    where the process object arrives after `spawn.prepare()`."""

    def __init__(self, name, daemon):
        self._name = name
        self._daemon = daemon
        self._parent_pid = None

    @property
    def name(self):
        if _p.importing_main():
            return 'MainProcess'
        return self._name

    @property
    def daemon(self):
        return self._daemon and not _p.importing_main()

    @daemon.setter
    def daemon(self, daemon):
        self._daemon = daemon

    @name.setter
    def name(self, name):
        self._name = name

    @property
    def pid(self):
        return os.getpid()

    @property
    def ident(self):
        return os.getpid()

    @property
    def exitcode(self):
        return None

    def is_alive(self):
        return True

    def __repr__(self):
        return '<%s name=%r parent=%s started>' % (
            'Process' if _p.info() is None else 'SpawnProcess', self._name,
            'None' if _p.info() is None else os.getppid())


def _make_current():
    info = _p.info()
    if info is None:
        return _CurrentProcess('MainProcess', False)
    name, role = info
    return _CurrentProcess(name, role == 'pool')


_current = _make_current()


def current_process():
    """Return process object representing the current process."""
    return _current


def parent_process():
    return None


def active_children():
    """Return list of process objects corresponding to live child processes."""
    # process.py _cleanup: children that have ended leave the set.
    for p in list(_children):
        if isinstance(p, _PoolChild) and not p.is_alive():
            _children.discard(p)
    return [p for p in list(_children) if p.is_alive()]


class _PoolChild:
    """A Pool's or ProcessPoolExecutor's worker as active_children() lists it: the part of
    BaseProcess a caller can ask of a process its pool manages."""

    def __init__(self, name, handle, method, daemon):
        self._name = name
        self._handle = handle
        self._kind = _process_class_name(method)
        self.daemon = daemon

    @property
    def name(self):
        return self._name

    @property
    def pid(self):
        return self._handle.pid()

    ident = pid

    @property
    def exitcode(self):
        return self._handle.poll()

    def is_alive(self):
        return self._handle.poll() is None

    def __repr__(self):
        code = self.exitcode
        status = 'started' if code is None else 'exitcode=%s' % code
        return '<%s name=%r pid=%s parent=%s %s%s>' % (
            self._kind, self._name, self.pid, os.getpid(), status,
            ' daemon' if self.daemon else '')


def _join_collectors(lock, workers):
    """Joins the collector threads of `workers`, a list guarded by `lock`, until no new
    worker appears: one that exited may have been replaced meanwhile."""
    joined = set()
    while True:
        with lock:
            todo = [w for w in workers if w not in joined]
        if not todo:
            return
        for w in todo:
            if w.thread.ident is not None:
                w.thread.join()
            joined.add(w)


def _start_pool_worker(name, method, daemon):
    """Starts a pool's or an executor's worker process; active_children() lists it."""
    handle = _p.start(name, 'pool', None, method)
    _children.add(_PoolChild(name, handle, method, daemon))
    return handle


def _noop():
    pass


class Process:
    """Process objects represent activity run in a separate process
    (process.py BaseProcess)."""

    _start_method = None   # set by a context's Process(); None: the default

    def __init__(self, group=None, target=None, name=None, args=(), kwargs={},
                 *, daemon=None):
        assert group is None, 'group argument must be None for now'
        count = _next_identity()
        self._identity = (count,)
        self._target = target
        self._args = tuple(args)
        self._kwargs = dict(kwargs)
        self._name = name or type(self).__name__ + '-' + str(count)
        self._daemonic = bool(daemon) if daemon is not None else current_process().daemon
        self._worker = None
        self._exitcode = None
        self._closed = False

    def run(self):
        """Method to be run in sub-process; can be overridden in sub-class."""
        if self._target:
            self._target(*self._args, **self._kwargs)

    def start(self):
        """Start child process."""
        self._check_closed()
        if self._worker is not None:
            raise AssertionError('cannot start a process twice')
        if current_process().daemon:
            raise AssertionError('daemonic processes are not allowed to have children')
        if type(self).run is Process.run:
            func, args, kwargs = (self._target or _noop), self._args, self._kwargs
        else:
            func, args, kwargs = self.run, (), {}
        worker = _p.start(self._name, 'process', _handles((func, args, kwargs)),
                          self._start_method or get_start_method())
        try:
            worker.run(func, args, kwargs)
        except BaseException:
            worker.kill()
            raise
        self._worker = worker
        _children.add(self)

    def terminate(self):
        """Terminate process; sends SIGTERM signal."""
        self._check_closed()
        if self._worker is not None:
            self._worker.terminate()

    def kill(self):
        """Terminate process; sends SIGKILL signal."""
        self._check_closed()
        if self._worker is not None:
            self._worker.kill()

    def join(self, timeout=None):
        """Wait until child process terminates."""
        self._check_closed()
        if self._worker is None:
            raise AssertionError('can only join a started process')
        if timeout is not None and timeout < 0:
            timeout = 0
        code = self._worker.wait(timeout)
        if code is not None:
            self._exitcode = code
            _children.discard(self)

    def is_alive(self):
        """Return whether process is alive."""
        self._check_closed()
        if self._worker is None:
            return False
        code = self._worker.poll()
        if code is None:
            return True
        self._exitcode = code
        _children.discard(self)
        return False

    def close(self):
        if self._worker is not None:
            if self._worker.poll() is None:
                raise ValueError("Cannot close a process while it is still running. "
                                 "You should first call join() or terminate().")
            self._worker = None
        _children.discard(self)
        self._closed = True

    def _check_closed(self):
        if self._closed:
            raise ValueError("process object is closed")

    @property
    def name(self):
        return self._name

    @name.setter
    def name(self, name):
        assert isinstance(name, str), 'name must be a string'
        self._name = name

    @property
    def daemon(self):
        return self._daemonic

    @daemon.setter
    def daemon(self, daemonic):
        assert self._worker is None, 'process has already started'
        self._daemonic = daemonic

    @property
    def exitcode(self):
        """Return exit code of process or `None` if it has yet to stop."""
        self._check_closed()
        if self._worker is None:
            return None
        if self._exitcode is None:
            self._exitcode = self._worker.poll()
        return self._exitcode

    @property
    def pid(self):
        """Return identifier (PID) of process or `None` if it has yet to start."""
        self._check_closed()
        if self._worker is None:
            return None
        return self._worker.pid()

    ident = pid

    def __repr__(self):
        if self._worker is None:
            status = 'initial'
        elif self.exitcode is None:
            status = 'started'
        else:
            status = self._exitcode
        info = [type(self).__name__, 'name=%r' % self._name]
        if self._worker is not None:
            info.append('pid=%s' % self._worker.pid())
        info.append('parent=%s' % os.getpid())
        if isinstance(status, int):
            info.append('exitcode=%s' % status)
        else:
            info.append(status)
        if self._daemonic:
            info.append('daemon')
        return '<%s>' % ' '.join(info)


# ---- Lib/multiprocessing/connection.py and queues.py ----

def _handles(obj, depth=0):
    """The descriptors a child must inherit for the pipes and queues in obj."""
    fds = []
    if isinstance(obj, Connection):
        fds.append(obj._fd)
    elif isinstance(obj, SimpleQueue):
        fds.extend([obj._reader._fd, obj._writer._fd, obj._lock_fd])
    elif isinstance(obj, (list, tuple)) and depth < 3:
        for x in obj:
            fds.extend(_handles(x, depth + 1))
    elif isinstance(obj, dict) and depth < 3:
        for x in obj.values():
            fds.extend(_handles(x, depth + 1))
    elif hasattr(obj, '__self__') and depth < 3:
        fds.extend(_handles(obj.__self__.__dict__, depth + 1))
    return fds


class Connection:
    """One end of a Pipe (connection.py Connection): send() and recv() whole objects."""

    def __init__(self, fd, ino, readable=True, writable=True):
        self._fd = fd
        self._ino = ino
        self._readable = readable
        self._writable = writable
        self._closed = False

    def _check_closed(self):
        if self._closed:
            raise OSError("handle is closed")

    def _check_readable(self):
        if not self._readable:
            raise OSError("connection is write-only")

    def _check_writable(self):
        if not self._writable:
            raise OSError("connection is read-only")

    @property
    def closed(self):
        return self._closed

    @property
    def readable(self):
        return self._readable

    @property
    def writable(self):
        return self._writable

    def fileno(self):
        self._check_closed()
        return self._fd

    def close(self):
        if not self._closed:
            self._closed = True
            _p.channel_close(self._fd, self._ino)

    def send(self, obj):
        """Send a (picklable) object."""
        self._check_closed()
        self._check_writable()
        _p.channel_send(self._fd, self._ino, obj)

    def recv(self):
        """Receive a (picklable) object."""
        self._check_closed()
        self._check_readable()
        return _p.channel_recv(self._fd, self._ino)[1]

    def poll(self, timeout=0.0):
        """Whether there is any input available to be read."""
        self._check_closed()
        self._check_readable()
        return _p.channel_poll(self._fd, self._ino, timeout)

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc_value, exc_tb):
        self.close()


def Pipe(duplex=True):
    """Returns two connection objects connected by a pipe."""
    fd1, ino1, fd2, ino2 = _p.channel_pipe(duplex)
    if duplex:
        return Connection(fd1, ino1), Connection(fd2, ino2)
    return Connection(fd1, ino1, writable=False), Connection(fd2, ino2, readable=False)


# Per process: the threads of one process take a queue's lock through this lock first
# (the lock file's record locks tell processes apart, not threads).
_queue_thread_locks = {}
_queue_thread_locks_guard = threading.Lock()


def _thread_lock(key):
    with _queue_thread_locks_guard:
        lock = _queue_thread_locks.get(key)
        if lock is None:
            lock = _queue_thread_locks[key] = threading.Lock()
        return lock


class SimpleQueue:
    """A process-shared FIFO on a pipe (queues.py SimpleQueue): put() writes at once, under
    the queue's write lock, and get() reads under its read lock."""

    def __init__(self):
        self._reader, self._writer = Pipe(duplex=False)
        self._lock_fd, self._lock_ino = _p.channel_lock_file()
        self._closed = False

    def _locked(self, byte, fn, *args):
        with _thread_lock((self._lock_ino, byte)):
            _p.channel_lock(self._lock_fd, self._lock_ino, byte)
            try:
                return fn(*args)
            finally:
                _p.channel_unlock(self._lock_fd, self._lock_ino, byte)

    def _check_open(self):
        if self._closed:
            raise ValueError("Queue %r is closed" % self)

    def close(self):
        self._reader.close()
        self._writer.close()
        self._closed = True

    def empty(self):
        return not self._reader.poll()

    def get(self):
        self._check_open()
        return self._locked(0, _p.channel_recv, self._reader._fd, self._reader._ino)[1]

    def put(self, obj):
        self._check_open()
        self._locked(1, self._writer.send, obj)


_DETERMINISTIC = _p.deterministic()

# queues.py: a BoundedSemaphore's largest value, what maxsize <= 0 means.
_SEM_VALUE_MAX = 2147483647

# This process's feeder threads, by the inode of their queue's lock file: a queue
# travels to another process as its descriptors, and the feeder stays here.
_feeders = {}
_feeders_lock = threading.Lock()
# The queues (by the same inode) whose feeders exit is not to wait for.
_unjoined = set()


class _Feeder:
    """queues.py Queue._feed: the thread that writes what put() buffered into the pipe, so
    that put() never blocks on a full pipe. One per queue and process, started by the
    first put()."""

    def __init__(self, q):
        self.queue = q
        self.cond = threading.Condition(threading.Lock())
        self.buffer = queue._Fifo()
        self.closing = False
        self.thread = threading.Thread(target=self.feed, daemon=True, name='QueueFeederThread')

    def feed(self):
        q = self.queue
        while True:
            with self.cond:
                while not self.buffer and not self.closing:
                    self.cond.wait()
                if not self.buffer:
                    return
                obj = self.buffer.pop()
            q._write(obj)

    def close(self):
        with self.cond:
            self.closing = True
            self.cond.notify()


def _flush_feeders():
    # queues.py Queue._finalize_join, run by util._exit_function: what was put is
    # written before the process ends, unless cancel_join_thread() was called.
    with _feeders_lock:
        feeders = list(_feeders.items())
        _feeders.clear()
    for key, f in feeders:
        f.close()
        if key not in _unjoined:
            f.thread.join()


class Queue(SimpleQueue):
    """A process-shared FIFO queue (queues.py Queue): put() hands the item to this
    process's feeder thread; the count of items, shared by all processes, gives qsize(),
    full() and maxsize."""

    def __init__(self, maxsize=0):
        SimpleQueue.__init__(self)
        if maxsize <= 0:
            maxsize = _SEM_VALUE_MAX
        self._maxsize = maxsize

    def _feeder(self):
        # One feeder per queue and process, even when threads put at once: a second one
        # would interleave its items with the first's.
        with _feeders_lock:
            f = _feeders.get(self._lock_ino)
            if f is None or f.closing:
                f = _feeders[self._lock_ino] = _Feeder(self)
                f.thread.start()
        return f

    def put(self, obj, block=True, timeout=None):
        self._check_open()
        if not _p.channel_take_slot(self._lock_fd, self._lock_ino, self._maxsize, block, timeout):
            raise queue.Full
        if _DETERMINISTIC:
            # No feeder in virtual time: a get() waiting on the pipe would hold the
            # schedule, and the feeder never run. Written now, as SimpleQueue does.
            self._write(obj)
            return
        f = self._feeder()
        with f.cond:
            f.buffer.push(obj)
            f.cond.notify()

    def _write(self, obj):
        # The feeder's send (queues.py Queue._feed).
        try:
            self._locked(1, self._writer.send, obj)
        except Exception as e:
            # queues.py _on_queue_feeder_error: printed; the item is dropped and its place
            # in the count given back.
            _p.channel_count(self._lock_fd, self._lock_ino, -1)
            sys.stderr.write(_thread._format_exception(e))
            sys.stderr.flush()

    def put_nowait(self, obj):
        return self.put(obj, False)

    def get(self, block=True, timeout=None):
        self._check_open()
        if not block:
            timeout = 0.0
        elif timeout is not None and timeout < 0:
            raise ValueError("'timeout' must be a non-negative number")
        try:
            ok, obj = self._locked(0, _p.channel_recv, self._reader._fd, self._reader._ino,
                                   timeout)
        except (EOFError, OSError):
            raise
        except BaseException:
            # An item was taken but could not be rebuilt: its slot is free all the same,
            # as queues.py releases the semaphore before unpickling.
            _p.channel_count(self._lock_fd, self._lock_ino, -1)
            raise
        if not ok:
            raise queue.Empty
        _p.channel_count(self._lock_fd, self._lock_ino, -1)
        return obj

    def get_nowait(self):
        return self.get(False)

    def qsize(self):
        return _p.channel_count(self._lock_fd, self._lock_ino, 0)

    def full(self):
        return self.qsize() >= self._maxsize

    def close(self):
        # The reader closes now; the feeder writes what is buffered, then the writer
        # closes (queues.py Queue.close and _feed).
        self._closed = True
        self._reader.close()
        f = _feeders.get(self._lock_ino)
        if f is not None:
            f.close()

    def join_thread(self):
        if not self._closed:
            raise AssertionError('Queue {0!r} not closed'.format(self))
        f = _feeders.get(self._lock_ino)
        if f is not None:
            f.thread.join()

    def cancel_join_thread(self):
        _unjoined.add(self._lock_ino)


# ---- Lib/multiprocessing/pool.py ----

INIT = "INIT"
RUN = "RUN"
CLOSE = "CLOSE"
TERMINATE = "TERMINATE"


class RemoteTraceback(Exception):
    __module__ = 'multiprocessing.pool'

    def __init__(self, tb):
        self.tb = tb

    def __str__(self):
        return self.tb


def _rebuild_exc(exc, tb):
    # pool.py ExceptionWithTraceback / rebuild_exc: the worker's traceback becomes the
    # cause of the exception re-raised here.
    if tb:
        _p.chain(exc, RemoteTraceback('\n"""\n%s"""' % tb))
    return exc


def mapstar(args):
    return list(map(*args))


def starmapstar(args):
    return [args[0](*a) for a in args[1]]


def _broken_error(code, starting=False):
    from concurrent.futures import BrokenProcessPool
    if starting:
        return BrokenProcessPool(
            'A worker process of the pool died (exit code %s) before it could take tasks; '
            'CPython would start new ones for ever here' % code)
    return BrokenProcessPool(
        'A worker process of the pool died (exit code %s) while running a task; '
        'CPython would wait for ever here' % code)


_job_counter = 0


def _next_job():
    global _job_counter
    with _counter_lock:
        _job_counter += 1
        return _job_counter


class ApplyResult:
    """pool.py ApplyResult: the result of apply_async()."""

    def __init__(self, pool, callback, error_callback):
        self._pool = pool
        self._event = threading.Event()
        self._job = _next_job()
        self._callback = callback
        self._error_callback = error_callback
        self._success = None
        self._value = None

    def ready(self):
        return self._event.is_set()

    def successful(self):
        if not self.ready():
            raise ValueError("{0!r} not ready".format(self))
        return self._success

    def wait(self, timeout=None):
        self._event.wait(timeout)

    def get(self, timeout=None):
        self.wait(timeout)
        if not self.ready():
            raise TimeoutError
        if self._success:
            return self._value
        else:
            raise self._value

    def _set(self, i, obj):
        self._success, self._value = obj
        if self._callback and self._success:
            self._callback(self._value)
        if self._error_callback and not self._success:
            self._error_callback(self._value)
        self._event.set()


AsyncResult = ApplyResult


class MapResult(ApplyResult):
    """pool.py MapResult: chunks come back in any order; the first failure wins."""

    def __init__(self, pool, chunksize, length, callback, error_callback):
        ApplyResult.__init__(self, pool, callback, error_callback=error_callback)
        self._success = True
        self._value = [None] * length
        self._chunksize = chunksize
        self._lock = threading.Lock()
        if chunksize <= 0:
            self._number_left = 0
            self._event.set()
        else:
            self._number_left = length // chunksize + bool(length % chunksize)

    def _set(self, i, success_result):
        success, result = success_result
        with self._lock:
            if self._event.is_set():
                return
            self._number_left -= 1
            if success and self._success:
                self._value[i * self._chunksize:(i + 1) * self._chunksize] = result
                if self._number_left == 0:
                    if self._callback:
                        self._callback(self._value)
                    self._event.set()
            else:
                if self._success:
                    self._success = False
                    self._value = result
                    if self._error_callback:
                        self._error_callback(self._value)
                    self._event.set()


class _PoolWorker:
    """One worker process and the thread that collects its replies (the part of pool.py's
    worker and result handlers that concerns one worker). A task goes out from whichever
    thread finds the worker free: apply_async() itself, or this thread as a reply comes
    in, as in ProcessPoolExecutor."""

    def __init__(self, pool, name):
        self.pool = pool
        self.name = name
        # (result, index) of the task in flight; set before the task is sent.
        self.current = None
        # Told to finish: the end of its replies is no death.
        self.closing = False
        # Tasks it has returned (for maxtasksperchild).
        self.tasks = 0
        # pool.py _repopulate_pool_static: pool workers are daemonic.
        self.process = _start_pool_worker(name, pool._start_method, True)
        self.thread = threading.Thread(target=self.collect, daemon=True,
                                       name='PoolCollector-' + name)

    def collect(self):
        pool = self.pool
        ready = self.process.recv()
        if ready[0] != 'ready':
            pool._worker_died(self, self.process.wait())
            return
        if pool._initializer is not None:
            sent = self.process.call(0, pool._initializer, pool._initargs, None)
            reply = self.process.recv() if sent else ('eof',)
            if reply[0] == 'err':
                # pool.py worker: the initializer's exception ends the worker, and its
                # traceback is printed there.
                sys.stderr.write('Process %s:\n%s' % (self.name, reply[3]))
                sys.stderr.flush()
                self.process.close()
            if reply[0] != 'ok':
                code = self.process.wait()
                # Exit code 1, as BaseProcess._bootstrap gives a process whose run raised.
                pool._worker_died(self, 1 if reply[0] == 'err' else code)
                return
        pool._dispatch(self)
        while True:
            reply = self.process.recv()
            if reply[0] != 'ok' and reply[0] != 'err':
                # Out of the idle list before anything else, so no task is sent to it
                # any more; the one it holds (even if given just now) fails below.
                current = pool._detach(self)
                pool._worker_lost(self, current, self.process.wait())
                return
            current = self.current
            # The next task goes out before this result wakes its waiter.
            pool._dispatch(self, finished=True)
            result, i = current
            if reply[0] == 'ok':
                result._set(i, (True, reply[2]))
            else:
                result._set(i, (False, _rebuild_exc(reply[2], reply[3])))


class Pool:
    """Class which supports an async version of applying functions to arguments
    (pool.py Pool)."""

    def __init__(self, processes=None, initializer=None, initargs=(),
                 maxtasksperchild=None, context=None):
        self._state = INIT
        if current_process().daemon:
            raise AssertionError('daemonic processes are not allowed to have children')
        if processes is None:
            processes = os.cpu_count() or 1
        if processes < 1:
            raise ValueError("Number of processes must be at least 1")
        if maxtasksperchild is not None:
            if not isinstance(maxtasksperchild, int) or maxtasksperchild <= 0:
                raise ValueError("maxtasksperchild must be a positive int or None")
        if initializer is not None and not callable(initializer):
            raise TypeError('initializer must be a callable')
        self._processes = processes
        self._maxtasksperchild = maxtasksperchild
        self._start_method = _method_of(context)
        self._initializer = initializer
        self._initargs = initargs
        # Tasks no idle worker could take yet, oldest first: (result, i, func, args, kwds).
        self._pending = queue._Fifo()
        # Ready workers with no task in flight, their collectors waiting in recv().
        self._idle = []
        self._broken = None
        # Guards the queue, the idle list, the worker list and each worker's `current`.
        self._lock = threading.Lock()
        self._pool = []
        try:
            for i in range(processes):
                self._add_worker()
        except BaseException:
            for w in self._pool:
                w.process.kill()
            raise
        # Running before any collector starts: one whose worker is ready at once must
        # find the pool open, not closing.
        self._state = RUN
        for w in self._pool:
            w.thread.start()
        _pools.append(self)

    def _add_worker(self):
        # pool.py _repopulate_pool_static: the Process class's name, with 'Process'
        # replaced by 'PoolWorker'.
        name = _process_class_name(self._start_method).replace('Process', 'PoolWorker')
        w = _PoolWorker(self, '%s-%d' % (name, _next_identity()))
        self._pool.append(w)
        return w

    def _replace_worker(self):
        # pool.py _maintain_pool: a worker that exited is replaced while the pool runs,
        # or after close() while tasks remain. With the lock held.
        if self._state == RUN or (self._state == CLOSE and self._pending):
            self._add_worker().thread.start()

    def _put(self, task):
        """Sends `task` to an idle worker from this thread, or queues it."""
        with self._lock:
            if not self._idle:
                self._pending.push(task)
                return
            w = self._idle.pop()
            w.current = (task[0], task[1])
        if not self._send(w, task):
            self._dispatch(w, unsent=True)

    def _dispatch(self, w, finished=False, unsent=False):
        """Gives worker `w` its next task; with none queued it waits idle, or is told to
        finish once the pool is closed. `finished`: `w` has just returned a result;
        `unsent`: the task given to `w` could not be sent."""
        while True:
            with self._lock:
                if finished or unsent:
                    w.current = None
                    unsent = False
                if finished:
                    finished = False
                    w.tasks += 1
                    if self._maxtasksperchild is not None and w.tasks >= self._maxtasksperchild:
                        # pool.py worker: it exits after maxtasksperchild tasks, and
                        # leaves the pool's count at once (its collector reaps it).
                        self._retire(w)
                        self._pool.remove(w)
                        self._replace_worker()
                        return
                if self._state == TERMINATE:
                    return
                if not self._pending:
                    if self._state == RUN:
                        self._idle.append(w)
                    else:
                        self._retire(w)
                    return
                task = self._pending.pop()
                w.current = (task[0], task[1])
            if self._send(w, task):
                return
            unsent = True

    def _retire(self, w):
        # With the lock held: `w` finishes; its collector reaps it at the end of its replies.
        w.closing = True
        w.process.close()

    def _send(self, w, task):
        """Sends a task to `w`, whose `current` is already set. False if it could not be
        encoded: its result then holds that error."""
        result, i, func, args, kwds = task
        try:
            # False (the worker has gone) needs nothing here: its collector sees the end
            # of its replies and fails the task.
            w.process.call(i, func, args, kwds)
            return True
        except BaseException as e:
            result._set(i, (False, e))
            return False

    def _detach(self, w):
        # With the end of `w`'s replies seen: no task goes to it any more. Returns the
        # task it holds, if any.
        with self._lock:
            if w in self._idle:
                self._idle.remove(w)
            current = w.current
            w.current = None
            return current

    def _worker_lost(self, w, current, code):
        # A worker that served tasks has exited: told to (close, maxtasksperchild), or
        # killed. pool.py replaces it and the task it ran never completes (get() waits for
        # ever); here that task fails instead, and the pool goes on.
        with self._lock:
            if w in self._pool:
                self._pool.remove(w)
            if not w.closing and self._state != TERMINATE:
                self._replace_worker()
        if current is not None:
            current[0]._set(current[1], (False, _broken_error(code)))

    def _worker_died(self, worker, code):
        # A worker that could not start (its import or initializer failed) takes the
        # pool with it, where pool.py would start workers for ever: what is queued fails.
        with self._lock:
            if self._broken is None:
                self._broken = code
            if worker in self._pool:
                self._pool.remove(worker)
            tasks = self._pending.drain()
        for task in tasks:
            task[0]._set(task[1], (False, _broken_error(code, starting=True)))

    def __repr__(self):
        return '<%s state=%s pool_size=%d>' % (type(self).__name__, self._state, len(self._pool))

    def _check_running(self):
        if self._state != RUN:
            raise ValueError("Pool not running")
        if self._broken is not None:
            raise _broken_error(self._broken, starting=True)

    def apply(self, func, args=(), kwds={}):
        """Equivalent of `func(*args, **kwds)`."""
        return self.apply_async(func, args, kwds).get()

    def apply_async(self, func, args=(), kwds={}, callback=None, error_callback=None):
        """Asynchronous version of `apply()` method."""
        self._check_running()
        result = ApplyResult(self, callback, error_callback)
        self._put((result, 0, func, tuple(args), dict(kwds)))
        return result

    def map(self, func, iterable, chunksize=None):
        """Apply `func` to each element in `iterable`, collecting the results in a list
        that is returned."""
        return self._map_async(func, iterable, mapstar, chunksize).get()

    def starmap(self, func, iterable, chunksize=None):
        """Like `map()` method but the elements of the `iterable` are expected to be
        iterables as well and will be unpacked as arguments."""
        return self._map_async(func, iterable, starmapstar, chunksize).get()

    def map_async(self, func, iterable, chunksize=None, callback=None, error_callback=None):
        return self._map_async(func, iterable, mapstar, chunksize, callback, error_callback)

    def starmap_async(self, func, iterable, chunksize=None, callback=None, error_callback=None):
        return self._map_async(func, iterable, starmapstar, chunksize, callback, error_callback)

    def _map_async(self, func, iterable, mapper, chunksize=None, callback=None,
                   error_callback=None):
        # pool.py Pool._map_async: about four chunks per worker.
        self._check_running()
        if not hasattr(iterable, '__len__'):
            iterable = list(iterable)
        if chunksize is None:
            chunksize, extra = divmod(len(iterable), len(self._pool) * 4)
            if extra:
                chunksize += 1
        if len(iterable) == 0:
            chunksize = 0
        items = list(iterable)
        result = MapResult(self, chunksize, len(items), callback, error_callback=error_callback)
        if chunksize > 0:
            for i in range(0, len(items) // chunksize + bool(len(items) % chunksize)):
                chunk = tuple(items[i * chunksize:(i + 1) * chunksize])
                self._put((result, i, mapper, ((func, chunk),), {}))
        return result

    def imap(self, func, iterable, chunksize=1):
        """Equivalent of `map()` -- can be MUCH slower than `Pool.map()`."""
        self._check_running()
        results = [self.apply_async(func, (x,)) for x in iterable]

        def gen():
            for r in results:
                yield r.get()
        return gen()

    def imap_unordered(self, func, iterable, chunksize=1):
        """Like `imap()` method but ordering of results is arbitrary."""
        self._check_running()
        done = queue.SimpleQueue()
        results = []
        for x in iterable:
            r = ApplyResult(self, None, None)
            r._done = done
            results.append(r)
            self._put((_Notify(r, done), 0, func, (x,), {}))

        def gen():
            for _ in range(len(results)):
                yield done.get().get()
        return gen()

    def close(self):
        with self._lock:
            if self._state != RUN:
                return
            self._state = CLOSE
            # Busy workers finish once the queue is empty (see _dispatch).
            idle = self._idle
            self._idle = []
            for w in idle:
                self._retire(w)

    def terminate(self):
        with self._lock:
            if self._state == TERMINATE:
                return
            self._state = TERMINATE
            self._idle = []
            workers = list(self._pool)
            tasks = self._pending.drain()
        for w in workers:
            w.process.kill()
        for task in tasks:
            task[0]._set(task[1], (False, _broken_error(None)))
        _join_collectors(self._lock, self._pool)
        if self in _pools:
            _pools.remove(self)

    def join(self):
        if self._state == RUN:
            raise ValueError("Pool is still running")
        elif self._state not in (CLOSE, TERMINATE):
            raise ValueError("In unknown state")
        _join_collectors(self._lock, self._pool)
        with self._lock:
            workers = list(self._pool)
        for w in workers:
            w.process.close()
        for w in workers:
            w.process.wait()
        if self in _pools:
            _pools.remove(self)

    def __enter__(self):
        # Only the state, as pool.py checks: a pool broken by a worker that could not
        # start says so at its first task, whenever the break is noticed.
        if self._state != RUN:
            raise ValueError("Pool not running")
        return self

    def __exit__(self, exc_type, exc_val, exc_tb):
        self.terminate()


class ThreadPool(Pool):
    """pool.py ThreadPool: Pool's interface, with threads of this process as its workers.
    The tasks share this interpreter's lock, so CPU-bound ones do not run in parallel."""

    def __init__(self, processes=None, initializer=None, initargs=()):
        if processes is None:
            processes = os.cpu_count() or 1
        if processes < 1:
            raise ValueError("Number of processes must be at least 1")
        if initializer is not None and not callable(initializer):
            raise TypeError('initializer must be a callable')
        self._processes = processes
        self._initializer = initializer
        self._initargs = initargs
        self._taskqueue = queue.SimpleQueue()
        self._broken = None
        self._lock = threading.Lock()
        self._state = RUN
        self._pool = []
        for _ in range(processes):
            t = threading.Thread(target=self._work, daemon=True)
            self._pool.append(t)
            t.start()

    def _work(self):
        # pool.py worker, in a thread: tasks until the None sentinel.
        if self._initializer is not None:
            self._initializer(*self._initargs)
        while True:
            task = self._taskqueue.get()
            if task is None:
                return
            result, i, func, args, kwds = task
            try:
                outcome = (True, func(*args, **kwds))
            except Exception as e:
                outcome = (False, e)
            result._set(i, outcome)

    def _put(self, task):
        self._taskqueue.put(task)

    def close(self):
        if self._state == RUN:
            self._state = CLOSE
            for _ in self._pool:
                self._taskqueue.put(None)

    def terminate(self):
        # Threads cannot be killed: the tasks not started are dropped, the running ones
        # finish (pool.py _terminate_pool, then joins the workers).
        if self._state == TERMINATE:
            return
        self._state = TERMINATE
        while True:
            try:
                self._taskqueue.get_nowait()
            except queue.Empty:
                break
        for _ in self._pool:
            self._taskqueue.put(None)
        for t in self._pool:
            t.join()

    def join(self):
        if self._state == RUN:
            raise ValueError("Pool is still running")
        for t in self._pool:
            t.join()


class _Notify:
    """An imap_unordered result that also reports itself on a queue when set."""

    def __init__(self, result, done):
        self.result = result
        self.done = done

    def _set(self, i, obj):
        self.result._set(i, obj)
        self.done.put(self.result)


_pools = []


def _exit_function():
    # util.py _exit_function: terminate the pools left running and daemonic children,
    # join the other children, then let the queues' feeders write what they hold. What
    # the parent printed goes out before the wait, as it does under CPython.
    try:
        sys.stdout.flush()
    except BaseException:
        pass
    for pool in list(_pools):
        pool.terminate()
    # Pools' and executors' workers are ended by their owners.
    children = [p for p in active_children() if not isinstance(p, _PoolChild)]
    for p in children:
        if p.daemon:
            p.terminate()
    for p in children:
        if p.is_alive():
            p.join()
    _flush_feeders()


# util.py: atexit.register(_exit_function), which runs once the non-daemon threads have
# been joined, so their last puts are flushed too.
threading._register_exit(_exit_function)
