"""Thread module emulating a subset of Java's threading model.

gilsim's version of CPython 3.11's Lib/threading.py, on top of `_thread`: every blocking
wait here ends in a `_thread` lock, which gives up the interpreter lock while it waits and
takes part in deadlock detection.
"""

import _thread
import sys as _sys
from time import monotonic as _time

__all__ = ['get_ident', 'active_count', 'Condition', 'current_thread',
           'enumerate', 'main_thread', 'TIMEOUT_MAX',
           'Event', 'Lock', 'RLock', 'Semaphore', 'BoundedSemaphore', 'Thread',
           'Barrier', 'BrokenBarrierError', 'Timer', 'ThreadError',
           'setprofile', 'settrace', 'local', 'stack_size',
           'excepthook', 'ExceptHookArgs', 'gettrace', 'getprofile',
           'get_native_id']

_start_new_thread = _thread.start_new_thread
_allocate_lock = _thread.allocate_lock
_set_sentinel = _thread._set_sentinel
get_ident = _thread.get_ident
get_native_id = _thread.get_native_id
ThreadError = _thread.error
TIMEOUT_MAX = _thread.TIMEOUT_MAX
Lock = _allocate_lock
RLock = _thread.RLock

_profile_hook = None
_trace_hook = None


def setprofile(func):
    global _profile_hook
    _profile_hook = func


def getprofile():
    return _profile_hook


def settrace(func):
    global _trace_hook
    _trace_hook = func


def gettrace():
    return _trace_hook


def stack_size(size=0):
    return 0


class Condition:
    """Class that implements a condition variable (Lib/threading.py Condition)."""

    def __init__(self, lock=None):
        if lock is None:
            lock = RLock()
        self._lock = lock
        self.acquire = lock.acquire
        self.release = lock.release
        # If the lock defines _release_save() and/or _acquire_restore(),
        # these override the default implementations (which just call
        # release() and acquire() on the lock).  Ditto for _is_owned().
        try:
            self._release_save = lock._release_save
        except AttributeError:
            pass
        try:
            self._acquire_restore = lock._acquire_restore
        except AttributeError:
            pass
        try:
            self._is_owned = lock._is_owned
        except AttributeError:
            pass
        self._waiters = []

    def __enter__(self):
        return self._lock.__enter__()

    def __exit__(self, *args):
        return self._lock.__exit__(*args)

    def __repr__(self):
        return "<Condition(%s, %d)>" % (self._lock, len(self._waiters))

    def _release_save(self):
        self._lock.release()           # No state to save

    def _acquire_restore(self, x):
        self._lock.acquire()           # Ignore saved state

    def _is_owned(self):
        # Return True if lock is owned by current_thread.
        # This method is called only if _lock doesn't have _is_owned().
        if self._lock.acquire(False):
            self._lock.release()
            return False
        else:
            return True

    def wait(self, timeout=None):
        if not self._is_owned():
            raise RuntimeError("cannot wait on un-acquired lock")
        waiter = _allocate_lock()
        waiter.acquire()
        self._waiters.append(waiter)
        saved_state = self._release_save()
        gotit = False
        try:
            if timeout is None:
                waiter.acquire()
                gotit = True
            else:
                if timeout > 0:
                    gotit = waiter.acquire(True, timeout)
                else:
                    gotit = waiter.acquire(False)
            return gotit
        finally:
            self._acquire_restore(saved_state)
            if not gotit:
                try:
                    self._waiters.remove(waiter)
                except ValueError:
                    pass

    def wait_for(self, predicate, timeout=None):
        endtime = None
        waittime = timeout
        result = predicate()
        while not result:
            if waittime is not None:
                if endtime is None:
                    endtime = _time() + waittime
                else:
                    waittime = endtime - _time()
                    if waittime <= 0:
                        break
            self.wait(waittime)
            result = predicate()
        return result

    def notify(self, n=1):
        if not self._is_owned():
            raise RuntimeError("cannot notify on un-acquired lock")
        waiters = self._waiters
        while waiters and n > 0:
            waiter = waiters[0]
            try:
                waiter.release()
            except RuntimeError:
                pass
            else:
                n -= 1
            try:
                waiters.remove(waiter)
            except ValueError:
                pass

    def notify_all(self):
        self.notify(len(self._waiters))

    notifyAll = notify_all


class Semaphore:
    """This class implements semaphore objects (Lib/threading.py Semaphore)."""

    def __init__(self, value=1):
        if value < 0:
            raise ValueError("semaphore initial value must be >= 0")
        self._cond = Condition(Lock())
        self._value = value

    def __repr__(self):
        cls = self.__class__
        return (f"<{cls.__module__}.{cls.__qualname__} at {id(self):#x}:"
                f" value={self._value}>")

    def acquire(self, blocking=True, timeout=None):
        if not blocking and timeout is not None:
            raise ValueError("can't specify timeout for non-blocking acquire")
        rc = False
        endtime = None
        with self._cond:
            while self._value == 0:
                if not blocking:
                    break
                if timeout is not None:
                    if endtime is None:
                        endtime = _time() + timeout
                    else:
                        timeout = endtime - _time()
                        if timeout <= 0:
                            break
                self._cond.wait(timeout)
            else:
                self._value -= 1
                rc = True
        return rc

    def __enter__(self):
        return self.acquire()

    def release(self, n=1):
        if n < 1:
            raise ValueError('n must be one or more')
        with self._cond:
            self._value += n
            for i in range(n):
                self._cond.notify()

    def __exit__(self, t, v, tb):
        self.release()


class BoundedSemaphore(Semaphore):
    """A bounded semaphore checks that its value never exceeds its initial value."""

    def __init__(self, value=1):
        Semaphore.__init__(self, value)
        self._initial_value = value

    def __repr__(self):
        cls = self.__class__
        return (f"<{cls.__module__}.{cls.__qualname__} at {id(self):#x}:"
                f" value={self._value}/{self._initial_value}>")

    def release(self, n=1):
        if n < 1:
            raise ValueError('n must be one or more')
        with self._cond:
            if self._value + n > self._initial_value:
                raise ValueError("Semaphore released too many times")
            self._value += n
            for i in range(n):
                self._cond.notify()


class Event:
    """Class implementing event objects (Lib/threading.py Event)."""

    def __init__(self):
        self._cond = Condition(Lock())
        self._flag = False

    def __repr__(self):
        cls = self.__class__
        status = 'set' if self._flag else 'unset'
        return f"<{cls.__module__}.{cls.__qualname__} at {id(self):#x}: {status}>"

    def is_set(self):
        return self._flag

    isSet = is_set

    def set(self):
        with self._cond:
            self._flag = True
            self._cond.notify_all()

    def clear(self):
        with self._cond:
            self._flag = False

    def wait(self, timeout=None):
        with self._cond:
            signaled = self._flag
            if not signaled:
                signaled = self._cond.wait(timeout)
            return signaled


class BrokenBarrierError(RuntimeError):
    pass


class Barrier:
    """Implements a Barrier (Lib/threading.py Barrier)."""

    def __init__(self, parties, action=None, timeout=None):
        if parties < 1:
            raise ValueError("parties must be > 0")
        self._cond = Condition(Lock())
        self._action = action
        self._timeout = timeout
        self._parties = parties
        self._state = 0  # 0 filling, 1 draining, -1 resetting, -2 broken
        self._count = 0

    def __repr__(self):
        cls = self.__class__
        if self.broken:
            return f"<{cls.__module__}.{cls.__qualname__} at {id(self):#x}: broken>"
        return (f"<{cls.__module__}.{cls.__qualname__} at {id(self):#x}:"
                f" waiters={self.n_waiting}/{self.parties}>")

    def wait(self, timeout=None):
        if timeout is None:
            timeout = self._timeout
        with self._cond:
            self._enter()
            index = self._count
            self._count += 1
            try:
                if index + 1 == self._parties:
                    self._release()
                else:
                    self._wait(timeout)
                return index
            finally:
                self._count -= 1
                self._exit()

    def _enter(self):
        while self._state in (-1, 1):
            self._cond.wait()
        if self._state < 0:
            raise BrokenBarrierError
        assert self._state == 0

    def _release(self):
        try:
            if self._action:
                self._action()
            self._state = 1
            self._cond.notify_all()
        except:
            self._break()
            raise

    def _wait(self, timeout):
        if not self._cond.wait_for(lambda: self._state != 0, timeout):
            self._break()
            raise BrokenBarrierError
        if self._state < 0:
            raise BrokenBarrierError
        assert self._state == 1

    def _exit(self):
        if self._count == 0:
            if self._state in (-1, 1):
                self._state = 0
                self._cond.notify_all()

    def reset(self):
        with self._cond:
            if self._count > 0:
                if self._state == 0:
                    self._state = -1
                elif self._state == -2:
                    self._state = -1
            else:
                self._state = 0
            self._cond.notify_all()

    def abort(self):
        with self._cond:
            self._break()

    def _break(self):
        self._state = -2
        self._cond.notify_all()

    @property
    def parties(self):
        return self._parties

    @property
    def n_waiting(self):
        if self._state == 0:
            return self._count
        return 0

    @property
    def broken(self):
        return self._state == -2


_counter = 0
# CPython's counter is itertools.count, atomic under any lock model; `_counter += 1` is
# not (the old GIL and --gil off can switch inside it), so it has a lock of its own.
_counter_lock = _allocate_lock()


def _newname(name_template="Thread-%d"):
    global _counter
    with _counter_lock:
        _counter += 1
        n = _counter
    return name_template % n


# Active thread administration: ident -> Thread, and threads started but not yet running.
_active_limbo_lock = RLock()
_active = {}
_limbo = {}


class ExceptHookArgs:
    """The argument of `threading.excepthook` (a struct sequence in CPython)."""

    def __init__(self, exc_type, exc_value, exc_traceback, thread):
        self.exc_type = exc_type
        self.exc_value = exc_value
        self.exc_traceback = exc_traceback
        self.thread = thread

    def __repr__(self):
        return ("_thread._ExceptHookArgs(exc_type=%r, exc_value=%r, exc_traceback=%r, thread=%r)"
                % (self.exc_type, self.exc_value, self.exc_traceback, self.thread))


def excepthook(args):
    """Handle an uncaught exception of Thread.run() (Modules/_threadmodule.c thread_excepthook)."""
    if args.exc_type is SystemExit:
        return
    if args.thread is not None:
        name = args.thread.name
    else:
        name = get_ident()
    text = "Exception in thread %s:\n" % name
    if args.exc_value is not None:
        text += _thread._format_exception(args.exc_value)
    _sys.stdout.flush()
    _sys.stderr.write(text)
    _sys.stderr.flush()


__excepthook__ = excepthook


class Thread:
    """A class that represents a thread of control (Lib/threading.py Thread)."""

    _initialized = False

    def __init__(self, group=None, target=None, name=None,
                 args=(), kwargs=None, *, daemon=None):
        assert group is None, "group argument must be None for now"
        if kwargs is None:
            kwargs = {}
        if name:
            name = str(name)
        else:
            name = _newname("Thread-%d")
            if target is not None:
                if hasattr(target, "__name__"):
                    name += f" ({target.__name__})"
        self._target = target
        self._name = name
        self._args = args
        self._kwargs = kwargs
        if daemon is not None:
            self._daemonic = daemon
        else:
            self._daemonic = current_thread().daemon
        self._ident = None
        self._native_id = None
        self._tstate_lock = None
        self._started = Event()
        self._is_stopped = False
        self._initialized = True

    def __repr__(self):
        assert self._initialized, "Thread.__init__() was not called"
        status = "initial"
        if self._started.is_set():
            status = "started"
        self.is_alive()
        if self._is_stopped:
            status = "stopped"
        if self._daemonic:
            status += " daemon"
        if self._ident is not None:
            status += " %s" % self._ident
        return "<%s(%s, %s)>" % (self.__class__.__name__, self._name, status)

    def start(self):
        if not self._initialized:
            raise RuntimeError("thread.__init__() not called")
        if self._started.is_set():
            raise RuntimeError("threads can only be started once")
        with _active_limbo_lock:
            _limbo[self] = self
        try:
            _start_new_thread(self._bootstrap, ())
        except Exception:
            with _active_limbo_lock:
                del _limbo[self]
            raise
        self._started.wait()

    def run(self):
        try:
            if self._target is not None:
                self._target(*self._args, **self._kwargs)
        finally:
            del self._target, self._args, self._kwargs

    def _bootstrap(self):
        self._bootstrap_inner()

    def _set_ident(self):
        self._ident = get_ident()

    def _set_native_id(self):
        self._native_id = get_native_id()

    def _set_tstate_lock(self):
        self._tstate_lock = _set_sentinel()

    def _bootstrap_inner(self):
        try:
            self._set_ident()
            self._set_tstate_lock()
            self._set_native_id()
            _thread._set_name(self._name)
            self._started.set()
            with _active_limbo_lock:
                _active[self._ident] = self
                del _limbo[self]
            failed = None
            try:
                self.run()
            except BaseException as exc:
                failed = exc
            # The hook runs outside the except clause: an exception it raises itself is
            # reported without the thread's as its context (CPython suppresses that
            # context, which gilsim's exceptions do not let Python code do).
            if failed is not None:
                self._invoke_excepthook(failed)
                failed = None
        finally:
            self._delete()

    def _invoke_excepthook(self, exc):
        """Lib/threading.py _make_invoke_excepthook: a failing hook is reported too."""
        hook = excepthook
        if hook is None:
            hook = __excepthook__
        try:
            hook(ExceptHookArgs(type(exc), exc, exc.__traceback__, self))
        except Exception as hook_exc:
            _sys.stdout.flush()
            _sys.stderr.write("Exception in threading.excepthook:\n")
            _sys.stderr.write(_thread._format_exception(hook_exc))
            _sys.stderr.flush()

    def _stop(self):
        lock = self._tstate_lock
        if lock is not None:
            assert not lock.locked()
        self._is_stopped = True
        self._tstate_lock = None

    def _delete(self):
        if _local_users:
            _local_forget(self._ident)
        with _active_limbo_lock:
            if self._ident in _active:
                del _active[self._ident]

    def join(self, timeout=None):
        if not self._initialized:
            raise RuntimeError("Thread.__init__() not called")
        if not self._started.is_set():
            raise RuntimeError("cannot join thread before it is started")
        if self is current_thread():
            raise RuntimeError("cannot join current thread")
        if timeout is None:
            self._wait_for_tstate_lock()
        else:
            self._wait_for_tstate_lock(timeout=max(timeout, 0))

    def _wait_for_tstate_lock(self, block=True, timeout=-1):
        lock = self._tstate_lock
        if lock is None:
            assert self._is_stopped
            return
        try:
            if lock.acquire(block, timeout):
                lock.release()
                self._stop()
        except:
            if lock.locked():
                # bpo-45274 (CPython 3.11): interrupted (Ctrl-C) while the thread still
                # runs, the lock is released and the thread counted as stopped, so that
                # _shutdown() does not wait for it and the interrupted program can exit.
                lock.release()
                self._stop()
            raise

    @property
    def name(self):
        assert self._initialized, "Thread.__init__() not called"
        return self._name

    @name.setter
    def name(self, name):
        assert self._initialized, "Thread.__init__() not called"
        self._name = str(name)
        if self._ident is not None and self._ident == get_ident():
            _thread._set_name(self._name)

    @property
    def ident(self):
        assert self._initialized, "Thread.__init__() not called"
        return self._ident

    @property
    def native_id(self):
        assert self._initialized, "Thread.__init__() not called"
        return self._native_id

    def is_alive(self):
        assert self._initialized, "Thread.__init__() not called"
        if self._is_stopped or not self._started.is_set():
            return False
        self._wait_for_tstate_lock(False)
        return not self._is_stopped

    @property
    def daemon(self):
        assert self._initialized, "Thread.__init__() not called"
        return self._daemonic

    @daemon.setter
    def daemon(self, daemonic):
        if not self._initialized:
            raise RuntimeError("Thread.__init__() not called")
        if self._started.is_set():
            raise RuntimeError("cannot set daemon status of active thread")
        self._daemonic = daemonic

    def isDaemon(self):
        return self.daemon

    def setDaemon(self, daemonic):
        self.daemon = daemonic

    def getName(self):
        return self.name

    def setName(self, name):
        self.name = name


class Timer(Thread):
    """Call a function after a specified number of seconds."""

    def __init__(self, interval, function, args=None, kwargs=None):
        Thread.__init__(self)
        self.interval = interval
        self.function = function
        self.args = args if args is not None else []
        self.kwargs = kwargs if kwargs is not None else {}
        self.finished = Event()

    def cancel(self):
        """Stop the timer if it hasn't finished yet."""
        self.finished.set()

    def run(self):
        self.finished.wait(self.interval)
        if not self.finished.is_set():
            self.function(*self.args, **self.kwargs)
        self.finished.set()


class _MainThread(Thread):

    def __init__(self):
        Thread.__init__(self, name="MainThread", daemon=False)
        self._set_tstate_lock()
        self._started.set()
        self._set_ident()
        self._set_native_id()
        with _active_limbo_lock:
            _active[self._ident] = self


class _DummyThread(Thread):
    """A thread not started by this module (`_thread.start_new_thread`)."""

    def __init__(self):
        Thread.__init__(self, name=_newname("Dummy-%d"), daemon=True)
        self._started.set()
        self._set_ident()
        self._set_native_id()
        with _active_limbo_lock:
            _active[self._ident] = self

    def _stop(self):
        pass

    def is_alive(self):
        assert not self._is_stopped and self._started.is_set()
        return True

    def join(self, timeout=None):
        assert False, "cannot join a dummy thread"


def current_thread():
    """Return the current Thread object, corresponding to the caller's thread of control."""
    t = _active.get(get_ident())
    if t is None:
        return _DummyThread()
    return t


currentThread = current_thread


def active_count():
    """Return the number of Thread objects currently alive."""
    with _active_limbo_lock:
        return len(_active) + len(_limbo)


activeCount = active_count


def _enumerate():
    return list(_active.values()) + list(_limbo.values())


def enumerate():
    """Return a list of all Thread objects currently alive."""
    with _active_limbo_lock:
        return list(_active.values()) + list(_limbo.values())


_main_thread = None


def main_thread():
    """Return the main thread object."""
    return _main_thread


# Thread-local data. `local` objects keep one attribute dict per thread in
# `_local__dicts` (thread ident -> dict); `_local_users` maps each thread's ident to the
# `_local__dicts` it has an entry in, so that a thread's attributes go when it ends
# (Thread._delete) and a later thread that gets the same ident starts afresh.
_local_lock = _allocate_lock()
_local_users = {}
_LOCAL_CREATOR = None  # key in `_local__dicts`: the ident of the thread that made the object


def _local_dicts(obj):
    dicts = getattr(obj, "_local__dicts", None)
    if dicts is None:
        with _local_lock:
            dicts = getattr(obj, "_local__dicts", None)
            if dicts is None:
                dicts = {_LOCAL_CREATOR: get_ident()}
                object.__setattr__(obj, "_local__dicts", dicts)
    return dicts


def _local_dict(obj):
    """The calling thread's attributes of `obj`. In a thread other than the one that made
    the object, the first use runs a subclass's __init__ again, as Lib/_threading_local.py
    does (without arguments: gilsim has no __new__ that would see the original ones)."""
    dicts = _local_dicts(obj)
    key = get_ident()
    d = dicts.get(key)
    if d is None:
        d = {}
        with _local_lock:
            dicts[key] = d
            users = _local_users.get(key)
            if users is None:
                users = _local_users[key] = []
            users.append(dicts)
            rerun = dicts[_LOCAL_CREATOR] != key
        init = type(obj).__init__
        if rerun and init is not local.__init__:
            init(obj)
    return d


def _local_forget(ident):
    """Thread `ident` has ended: drop its attributes of every `local`."""
    with _local_lock:
        users = _local_users.pop(ident, None)
        if users is not None:
            for dicts in users:
                dicts.pop(ident, None)
                if dicts[_LOCAL_CREATOR] == ident:
                    dicts[_LOCAL_CREATOR] = -1


def _local_shadow(obj, name):
    """gilsim has no __getattribute__, so a class attribute would hide the per-thread
    value of the same name (`class Ctx(local): depth = 0`). The first time such a name is
    set, the class gets a property in its place that reads the calling thread's value and
    falls back to the class's."""
    cls = type(obj)
    if cls is local or name.startswith("__"):
        return
    default = getattr(cls, name, _local_lock)
    if default is _local_lock or isinstance(default, property) or callable(default):
        return

    def fget(self):
        d = _local_dict(self)
        if name in d:
            return d[name]
        return default

    def fset(self, value):
        _local_dict(self)[name] = value

    def fdel(self):
        d = _local_dict(self)
        if name not in d:
            raise AttributeError(name)
        del d[name]

    setattr(cls, name, property(fget, fset, fdel))


class local:
    """Thread-local data: each thread sees its own attributes (Lib/_threading_local.py)."""

    def __init__(self, *args, **kwargs):
        if (args or kwargs) and type(self).__init__ is local.__init__:
            raise TypeError("Initialization arguments are not supported")

    def __getattr__(self, name):
        if name == "_local__dicts":
            raise AttributeError(name)
        d = _local_dict(self)
        if name in d:
            return d[name]
        cls = type(self)
        owner = "_thread._local" if cls is local else cls.__name__
        raise AttributeError("'%s' object has no attribute '%s'" % (owner, name))

    def __setattr__(self, name, value):
        if name == "_local__dicts":
            raise AttributeError("'%s' object attribute '%s' is read-only"
                                 % (type(self).__name__, name))
        _local_shadow(self, name)
        if isinstance(getattr(type(self), name, None), property):
            object.__setattr__(self, name, value)
            return
        _local_dict(self)[name] = value

    def __delattr__(self, name):
        d = _local_dict(self)
        if name not in d:
            raise AttributeError(name)
        del d[name]


def _shutdown():
    """Wait until every non-daemon thread has finished (Lib/threading.py _shutdown, called
    at interpreter exit)."""
    global _SHUTTING_DOWN
    if _main_thread is None or _main_thread._is_stopped:
        return
    _SHUTTING_DOWN = True
    # Call registered threading atexit functions before threads are joined.
    for func, arg, kwargs in reversed(_threading_atexits):
        func(*arg, **kwargs)
    tlock = _main_thread._tstate_lock
    if tlock is not None and tlock.locked():
        tlock.release()
    _main_thread._stop()
    while True:
        with _active_limbo_lock:
            waiting = [t for t in _enumerate()
                       if not t._daemonic and t is not _main_thread and not t._is_stopped
                       and t._started.is_set()]
        if not waiting:
            break
        for t in waiting:
            t.join()
    # Then what the atexit module would run: Py_FinalizeEx calls it after
    # wait_for_thread_shutdown.
    while _exit_funcs:
        func = _exit_funcs.pop()
        try:
            func()
        except Exception as e:
            _sys.stderr.write("Exception ignored in atexit callback %r:\n" % (func,))
            _sys.stderr.write(_thread._format_exception(e))


# Functions to call at the start of _shutdown(), before the threads are joined.
_threading_atexits = []
_SHUTTING_DOWN = False
# Functions to call after the threads are joined (atexit.register; there is no atexit
# module, so the library registers here).
_exit_funcs = []


def _register_exit(func):
    _exit_funcs.append(func)


def _register_atexit(func, *arg, **kwargs):
    """CPython internal: register *func* to be called (in reverse order of registration)
    just before `_shutdown()` joins the non-daemon threads (Lib/threading.py
    _register_atexit)."""
    if _SHUTTING_DOWN:
        raise RuntimeError("can't register atexit after shutdown")
    _threading_atexits.append((func, arg, kwargs))


_main_thread = _MainThread()


def _run_replicas(func, n, takes_index):
    """`gilsim run FILE --threads N`: calls func in n threads at once, passing the worker
    index when takes_index; returns how many of them raised."""
    failures = []

    def replica(i):
        try:
            if takes_index:
                func(i)
            else:
                func()
        except BaseException:
            failures.append(i)
            raise

    # Daemons: they are always joined below, unless Ctrl-C interrupts the join, and then
    # the run should end rather than wait for them at exit.
    threads = [Thread(target=replica, args=(i,), name="main-%d" % i, daemon=True) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return len(failures)
