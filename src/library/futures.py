"""Execute computations asynchronously using threads or processes.

gilsim's version of CPython 3.11's Lib/concurrent/futures/_base.py, thread.py and
process.py in one module. Every blocking wait (Future.result(), wait(), as_completed(), the workers' queue,
shutdown's joins) goes through threading.Condition/Event/Lock, so it ends in a `_thread`
lock that gives up the interpreter lock and takes part in deadlock detection.

ProcessPoolExecutor (Lib/concurrent/futures/process.py) runs calls in worker processes
started through `_gilsim_process`. Each worker has one call in flight at a time and a
collector thread that reads its replies; a call is sent by whichever thread finds the
worker free (submit() itself, or the collector as a reply comes in), not by a manager
thread, so a round trip wakes fewer threads.

Differences from CPython: no `logging`, so what CPython logs through the
"concurrent.futures" logger (which, with no handler configured, prints "%(message)s" and
the traceback to stderr) is written to sys.stderr directly; no weakrefs, so a worker holds its executor strongly, and an executor
dropped without shutdown() keeps its idle workers until the interpreter exits (where
`_python_exit`, registered with threading._register_atexit as in CPython, wakes them).
ProcessPoolExecutor starts workers one per submit while none is idle, up to max_workers
(all at the first submit with 'fork', multiprocessing's default as on Linux); a task's
pickling error is raised at result(); calls queued beyond the workers are marked running
(EXTRA_QUEUED_CALLS) when a worker takes or returns a call, where CPython's manager thread
does it soon after submit(); a worker that reaches max_tasks_per_child is replaced even
with calls queued (CPython 3.11 can hang there, gh-115634).
"""

import _thread
import os
import queue
import sys as _sys
import threading
from time import monotonic as _time

__all__ = (
    'FIRST_COMPLETED',
    'FIRST_EXCEPTION',
    'ALL_COMPLETED',
    'CancelledError',
    'TimeoutError',
    'BrokenExecutor',
    'Future',
    'Executor',
    'wait',
    'as_completed',
    'ThreadPoolExecutor',
    'ProcessPoolExecutor',
)

# ---- Lib/concurrent/futures/_base.py ----

FIRST_COMPLETED = 'FIRST_COMPLETED'
FIRST_EXCEPTION = 'FIRST_EXCEPTION'
ALL_COMPLETED = 'ALL_COMPLETED'
_AS_COMPLETED = '_AS_COMPLETED'

# Possible future states (for internal use by the futures package).
PENDING = 'PENDING'
RUNNING = 'RUNNING'
# The future was cancelled by the user...
CANCELLED = 'CANCELLED'
# ...and _Waiter.add_cancelled() was called by a worker.
CANCELLED_AND_NOTIFIED = 'CANCELLED_AND_NOTIFIED'
FINISHED = 'FINISHED'

_FUTURE_STATES = [
    PENDING,
    RUNNING,
    CANCELLED,
    CANCELLED_AND_NOTIFIED,
    FINISHED
]

_STATE_TO_DESCRIPTION_MAP = {
    PENDING: "pending",
    RUNNING: "running",
    CANCELLED: "cancelled",
    CANCELLED_AND_NOTIFIED: "cancelled",
    FINISHED: "finished"
}


class _Logger:
    """Stands in for `logging.getLogger("concurrent.futures")` with no handler configured:
    logging's last-resort handler writes "%(message)s" (and the traceback, if any) to
    sys.stderr for records of level WARNING and above."""

    def __init__(self, name):
        self.name = name

    def _emit(self, msg, args, exc):
        if args:
            msg = msg % args
        text = msg + "\n"
        if exc is not None:
            text += _thread._format_exception(exc)
        try:
            _sys.stderr.write(text)
            _sys.stderr.flush()
        except BaseException:
            pass

    def exception(self, msg, *args, exc=None):
        self._emit(msg, args, exc)

    def critical(self, msg, *args, exc=None):
        self._emit(msg, args, exc)


# Logger for internal use by the futures package.
LOGGER = _Logger("concurrent.futures")


class Error(Exception):
    """Base class for all future-related exceptions."""
    pass


class CancelledError(Error):
    """The Future was cancelled."""
    pass


TimeoutError = TimeoutError  # make local alias for the standard exception


class InvalidStateError(Error):
    """The operation is not allowed in this state."""
    pass


class _Waiter:
    """Provides the event that wait() and as_completed() block on."""

    def __init__(self):
        self.event = threading.Event()
        self.finished_futures = []

    def add_result(self, future):
        self.finished_futures.append(future)

    def add_exception(self, future):
        self.finished_futures.append(future)

    def add_cancelled(self, future):
        self.finished_futures.append(future)


class _AsCompletedWaiter(_Waiter):
    """Used by as_completed()."""

    def __init__(self):
        _Waiter.__init__(self)
        self.lock = threading.Lock()

    def add_result(self, future):
        with self.lock:
            _Waiter.add_result(self, future)
            self.event.set()

    def add_exception(self, future):
        with self.lock:
            _Waiter.add_exception(self, future)
            self.event.set()

    def add_cancelled(self, future):
        with self.lock:
            _Waiter.add_cancelled(self, future)
            self.event.set()


class _FirstCompletedWaiter(_Waiter):
    """Used by wait(return_when=FIRST_COMPLETED)."""

    def add_result(self, future):
        _Waiter.add_result(self, future)
        self.event.set()

    def add_exception(self, future):
        _Waiter.add_exception(self, future)
        self.event.set()

    def add_cancelled(self, future):
        _Waiter.add_cancelled(self, future)
        self.event.set()


class _AllCompletedWaiter(_Waiter):
    """Used by wait(return_when=FIRST_EXCEPTION and ALL_COMPLETED)."""

    def __init__(self, num_pending_calls, stop_on_exception):
        self.num_pending_calls = num_pending_calls
        self.stop_on_exception = stop_on_exception
        self.lock = threading.Lock()
        _Waiter.__init__(self)

    def _decrement_pending_calls(self):
        with self.lock:
            self.num_pending_calls -= 1
            if not self.num_pending_calls:
                self.event.set()

    def add_result(self, future):
        _Waiter.add_result(self, future)
        self._decrement_pending_calls()

    def add_exception(self, future):
        _Waiter.add_exception(self, future)
        if self.stop_on_exception:
            self.event.set()
        else:
            self._decrement_pending_calls()

    def add_cancelled(self, future):
        _Waiter.add_cancelled(self, future)
        self._decrement_pending_calls()


class _AcquireFutures:
    """A context manager that does an ordered acquire of Future conditions."""

    def __init__(self, futures):
        self.futures = sorted(futures, key=id)

    def __enter__(self):
        for future in self.futures:
            future._condition.acquire()

    def __exit__(self, *args):
        for future in self.futures:
            future._condition.release()


def _create_and_install_waiters(fs, return_when):
    # _base.py _create_and_install_waiters
    if return_when == _AS_COMPLETED:
        waiter = _AsCompletedWaiter()
    elif return_when == FIRST_COMPLETED:
        waiter = _FirstCompletedWaiter()
    else:
        pending_count = sum(
            f._state not in [CANCELLED_AND_NOTIFIED, FINISHED] for f in fs)

        if return_when == FIRST_EXCEPTION:
            waiter = _AllCompletedWaiter(pending_count, stop_on_exception=True)
        elif return_when == ALL_COMPLETED:
            waiter = _AllCompletedWaiter(pending_count, stop_on_exception=False)
        else:
            raise ValueError("Invalid return condition: %r" % return_when)

    for f in fs:
        f._waiters.append(waiter)

    return waiter


def _yield_finished_futures(fs, waiter, ref_collect):
    """Iterate on the list *fs*, yielding finished futures one by one in reverse order
    (_base.py _yield_finished_futures). Before yielding a future, *waiter* is removed
    from its waiters and the future is removed from each set in *ref_collect*."""
    while fs:
        f = fs[-1]
        for futures_set in ref_collect:
            futures_set.remove(f)
        with f._condition:
            f._waiters.remove(waiter)
        del f
        yield fs.pop()


def as_completed(fs, timeout=None):
    """An iterator over the given futures that yields each as it completes
    (_base.py as_completed).

    Raises TimeoutError if the entire result iterator could not be generated before the
    given timeout.
    """
    if timeout is not None:
        end_time = timeout + _time()

    fs = set(fs)
    total_futures = len(fs)
    with _AcquireFutures(fs):
        finished = set(
            f for f in fs
            if f._state in [CANCELLED_AND_NOTIFIED, FINISHED])
        pending = fs - finished
        waiter = _create_and_install_waiters(fs, _AS_COMPLETED)
    finished = list(finished)
    try:
        yield from _yield_finished_futures(finished, waiter,
                                           ref_collect=(fs,))

        while pending:
            if timeout is None:
                wait_timeout = None
            else:
                wait_timeout = end_time - _time()
                if wait_timeout < 0:
                    raise TimeoutError(
                        '%d (of %d) futures unfinished' % (
                            len(pending), total_futures))

            waiter.event.wait(wait_timeout)

            with waiter.lock:
                finished = waiter.finished_futures
                waiter.finished_futures = []
                waiter.event.clear()

            # reverse to keep finishing order
            finished.reverse()
            yield from _yield_finished_futures(finished, waiter,
                                               ref_collect=(fs, pending))

    finally:
        # Remove waiter from unfinished futures
        for f in fs:
            with f._condition:
                f._waiters.remove(waiter)


class DoneAndNotDoneFutures:
    """A named 2-tuple of sets, `done` and `not_done` (a collections.namedtuple in
    CPython's _base.py): unpacks, indexes and compares like a tuple."""

    _fields = ('done', 'not_done')

    def __init__(self, done, not_done):
        self.done = done
        self.not_done = not_done

    def __iter__(self):
        return iter((self.done, self.not_done))

    def __getitem__(self, index):
        return (self.done, self.not_done)[index]

    def __len__(self):
        return 2

    def __eq__(self, other):
        if isinstance(other, DoneAndNotDoneFutures):
            other = (other.done, other.not_done)
        return (self.done, self.not_done) == other

    def __ne__(self, other):
        return not self.__eq__(other)

    def __repr__(self):
        return 'DoneAndNotDoneFutures(done=%r, not_done=%r)' % (self.done, self.not_done)

    def _asdict(self):
        return {'done': self.done, 'not_done': self.not_done}


def wait(fs, timeout=None, return_when=ALL_COMPLETED):
    """Wait for the futures in the given sequence to complete (_base.py wait).

    return_when is FIRST_COMPLETED, FIRST_EXCEPTION or ALL_COMPLETED. Returns a named
    2-tuple of sets: `done` (finished or cancelled) and `not_done`.
    """
    fs = set(fs)
    with _AcquireFutures(fs):
        done = set(f for f in fs
                   if f._state in [CANCELLED_AND_NOTIFIED, FINISHED])
        not_done = fs - done
        if (return_when == FIRST_COMPLETED) and done:
            return DoneAndNotDoneFutures(done, not_done)
        elif (return_when == FIRST_EXCEPTION) and done:
            if any(f for f in done
                   if not f.cancelled() and f.exception() is not None):
                return DoneAndNotDoneFutures(done, not_done)

        if len(done) == len(fs):
            return DoneAndNotDoneFutures(done, not_done)

        waiter = _create_and_install_waiters(fs, return_when)

    waiter.event.wait(timeout)
    for f in fs:
        with f._condition:
            f._waiters.remove(waiter)

    done.update(waiter.finished_futures)
    return DoneAndNotDoneFutures(done, fs - done)


def _result_or_cancel(fut, timeout=None):
    # _base.py _result_or_cancel
    try:
        try:
            return fut.result(timeout)
        finally:
            fut.cancel()
    finally:
        del fut


class Future:
    """Represents the result of an asynchronous computation (_base.py Future)."""

    def __init__(self):
        """Initializes the future. Should not be called by clients."""
        self._condition = threading.Condition()
        self._state = PENDING
        self._result = None
        self._exception = None
        self._waiters = []
        self._done_callbacks = []

    def _invoke_callbacks(self):
        for callback in self._done_callbacks:
            try:
                callback(self)
            except Exception as exc:
                LOGGER.exception('exception calling callback for %r', self, exc=exc)

    def __repr__(self):
        with self._condition:
            if self._state == FINISHED:
                if self._exception:
                    return '<%s at %#x state=%s raised %s>' % (
                        self.__class__.__name__,
                        id(self),
                        _STATE_TO_DESCRIPTION_MAP[self._state],
                        self._exception.__class__.__name__)
                else:
                    return '<%s at %#x state=%s returned %s>' % (
                        self.__class__.__name__,
                        id(self),
                        _STATE_TO_DESCRIPTION_MAP[self._state],
                        self._result.__class__.__name__)
            return '<%s at %#x state=%s>' % (
                self.__class__.__name__,
                id(self),
                _STATE_TO_DESCRIPTION_MAP[self._state])

    def cancel(self):
        """Cancel the future if possible.

        Returns True if the future was cancelled, False otherwise. A future cannot be
        cancelled if it is running or has already completed.
        """
        with self._condition:
            if self._state in [RUNNING, FINISHED]:
                return False

            if self._state in [CANCELLED, CANCELLED_AND_NOTIFIED]:
                return True

            self._state = CANCELLED
            self._condition.notify_all()

        self._invoke_callbacks()
        return True

    def cancelled(self):
        """Return True if the future was cancelled."""
        with self._condition:
            return self._state in [CANCELLED, CANCELLED_AND_NOTIFIED]

    def running(self):
        """Return True if the future is currently executing."""
        with self._condition:
            return self._state == RUNNING

    def done(self):
        """Return True if the future was cancelled or finished executing."""
        with self._condition:
            return self._state in [CANCELLED, CANCELLED_AND_NOTIFIED, FINISHED]

    def __get_result(self):
        if self._exception:
            try:
                raise self._exception
            finally:
                # Break a reference cycle with the exception in self._exception
                self = None
        else:
            return self._result

    def add_done_callback(self, fn):
        """Attaches a callable that will be called with this future when it completes
        or is cancelled; called immediately if it already has. Callables are called
        in the order that they were added."""
        with self._condition:
            if self._state not in [CANCELLED, CANCELLED_AND_NOTIFIED, FINISHED]:
                self._done_callbacks.append(fn)
                return
        try:
            fn(self)
        except Exception as exc:
            LOGGER.exception('exception calling callback for %r', self, exc=exc)

    def result(self, timeout=None):
        """Return the result of the call that the future represents.

        Raises CancelledError if the future was cancelled, TimeoutError if it did not
        finish before the given timeout, and the call's exception if it raised one.
        """
        try:
            with self._condition:
                if self._state in [CANCELLED, CANCELLED_AND_NOTIFIED]:
                    raise CancelledError()
                elif self._state == FINISHED:
                    return self.__get_result()

                self._condition.wait(timeout)

                if self._state in [CANCELLED, CANCELLED_AND_NOTIFIED]:
                    raise CancelledError()
                elif self._state == FINISHED:
                    return self.__get_result()
                else:
                    raise TimeoutError()
        finally:
            # Break a reference cycle with the exception in self._exception
            self = None

    def exception(self, timeout=None):
        """Return the exception raised by the call that the future represents, or None
        if the call completed without raising.

        Raises CancelledError if the future was cancelled, TimeoutError if it did not
        finish before the given timeout.
        """
        with self._condition:
            if self._state in [CANCELLED, CANCELLED_AND_NOTIFIED]:
                raise CancelledError()
            elif self._state == FINISHED:
                return self._exception

            self._condition.wait(timeout)

            if self._state in [CANCELLED, CANCELLED_AND_NOTIFIED]:
                raise CancelledError()
            elif self._state == FINISHED:
                return self._exception
            else:
                raise TimeoutError()

    # The following methods should only be used by Executors and in tests.
    def set_running_or_notify_cancel(self):
        """Mark the future as running or process any cancel notifications.

        Returns False if the Future was cancelled (waiters in wait()/as_completed() are
        notified), True otherwise. Raises RuntimeError if this method was already called
        or if set_result() or set_exception() was called.
        """
        with self._condition:
            if self._state == CANCELLED:
                self._state = CANCELLED_AND_NOTIFIED
                for waiter in self._waiters:
                    waiter.add_cancelled(self)
                # self._condition.notify_all() is not necessary because
                # self.cancel() triggers a notification.
                return False
            elif self._state == PENDING:
                self._state = RUNNING
                return True
            else:
                LOGGER.critical('Future %s in unexpected state: %s',
                                id(self),
                                self._state)
                raise RuntimeError('Future in unexpected state')

    def set_result(self, result):
        """Sets the return value of work associated with the future."""
        with self._condition:
            if self._state in [CANCELLED, CANCELLED_AND_NOTIFIED, FINISHED]:
                raise InvalidStateError('{}: {!r}'.format(self._state, self))
            self._result = result
            self._state = FINISHED
            for waiter in self._waiters:
                waiter.add_result(self)
            self._condition.notify_all()
        self._invoke_callbacks()

    def set_exception(self, exception):
        """Sets the result of the future as being the given exception."""
        with self._condition:
            if self._state in [CANCELLED, CANCELLED_AND_NOTIFIED, FINISHED]:
                raise InvalidStateError('{}: {!r}'.format(self._state, self))
            self._exception = exception
            self._state = FINISHED
            for waiter in self._waiters:
                waiter.add_exception(self)
            self._condition.notify_all()
        self._invoke_callbacks()


class Executor:
    """This is an abstract base class for concrete asynchronous executors
    (_base.py Executor)."""

    def submit(self, fn, /, *args, **kwargs):
        """Submits a callable to be executed as fn(*args, **kwargs); returns a Future
        representing the call."""
        raise NotImplementedError()

    def map(self, fn, *iterables, timeout=None, chunksize=1):
        """Returns an iterator equivalent to map(fn, iter): the results in order, though
        the calls may be evaluated out of order. chunksize is ignored by threads.

        Raises TimeoutError if the entire result iterator could not be generated before
        the given timeout, and a call's exception when its result is reached.
        """
        if timeout is not None:
            end_time = timeout + _time()

        fs = [self.submit(fn, *args) for args in zip(*iterables)]

        # Yield must be hidden in closure so that the futures are submitted
        # before the first iterator value is required.
        def result_iterator():
            try:
                # reverse to keep finishing order
                fs.reverse()
                while fs:
                    # Careful not to keep a reference to the popped future
                    if timeout is None:
                        yield _result_or_cancel(fs.pop())
                    else:
                        yield _result_or_cancel(fs.pop(), end_time - _time())
            finally:
                for future in fs:
                    future.cancel()
        return result_iterator()

    def shutdown(self, wait=True, *, cancel_futures=False):
        """Clean-up the resources associated with the Executor. It is safe to call this
        method several times; no other methods can be called after it."""
        pass

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc_val, exc_tb):
        self.shutdown(wait=True)
        return False


class BrokenExecutor(RuntimeError):
    """
    Raised when a executor has become non-functional after a severe failure.
    """


# ---- Lib/concurrent/futures/thread.py ----

# Worker thread -> its work queue, for the threads that are still running (a
# WeakKeyDictionary in CPython; here a worker removes itself when it exits).
_threads_queues = {}
_shutdown = False
# Lock that ensures that new workers are not created while the interpreter is
# shutting down. Must be held while mutating _threads_queues and _shutdown.
_global_shutdown_lock = threading.Lock()


def _python_exit():
    # thread.py _python_exit: wakes every worker and waits for it, just before
    # threading._shutdown joins the non-daemon threads.
    global _shutdown
    with _global_shutdown_lock:
        _shutdown = True
        items = list(_threads_queues.items())
    for t, q in items:
        q.put(None)
    for t, q in items:
        t.join()


# Register for `_python_exit()` to be called just before joining all
# non-daemon threads.
threading._register_atexit(_python_exit)


_task_counter = 0
_task_counter_lock = threading.Lock()


def _next_task_id():
    global _task_counter
    with _task_counter_lock:
        _task_counter += 1
        return _task_counter


class _WorkItem:
    # thread.py _WorkItem, plus task events for `gilsim trace` (_thread._trace_task)
    def __init__(self, future, fn, args, kwargs):
        self.future = future
        self.fn = fn
        self.args = args
        self.kwargs = kwargs
        self.task_id = _next_task_id()
        _thread._trace_task(0, self.task_id)

    def run(self):
        if not self.future.set_running_or_notify_cancel():
            return

        task_id = self.task_id
        _thread._trace_task(1, task_id)
        try:
            result = self.fn(*self.args, **self.kwargs)
        except BaseException as exc:
            self.future.set_exception(exc)
            # Break a reference cycle with the exception 'exc'
            self = None
        else:
            self.future.set_result(result)
        _thread._trace_task(2, task_id)


def _forget_worker():
    with _global_shutdown_lock:
        _threads_queues.pop(threading.current_thread(), None)


def _worker(executor, work_queue, initializer, initargs):
    # thread.py _worker (the executor is held strongly: gilsim has no weakrefs)
    try:
        if initializer is not None:
            try:
                initializer(*initargs)
            except BaseException as exc:
                LOGGER.critical('Exception in initializer:', exc=exc)
                executor._initializer_failed()
                return
        try:
            while True:
                work_item = work_queue.get(block=True)
                if work_item is not None:
                    work_item.run()
                    # Delete references to object. See issue16284
                    del work_item

                    # attempt to increment idle count
                    executor._idle_semaphore.release()
                    continue

                # Exit if:
                #   - The interpreter is shutting down OR
                #   - The executor that owns the worker has been shutdown.
                if _shutdown or executor._shutdown:
                    # Flag the executor as shutting down as early as possible.
                    executor._shutdown = True
                    # Notice other workers
                    work_queue.put(None)
                    return
        except BaseException as exc:
            LOGGER.critical('Exception in worker', exc=exc)
    finally:
        _forget_worker()


class BrokenThreadPool(BrokenExecutor):
    """
    Raised when a worker thread in a ThreadPoolExecutor failed initializing.
    """


# Used to assign unique thread names when thread_name_prefix is not supplied
# (`itertools.count().__next__` in CPython).
_executor_counter = 0
_executor_counter_lock = threading.Lock()


def _next_executor_number():
    global _executor_counter
    with _executor_counter_lock:
        n = _executor_counter
        _executor_counter += 1
    return n


class ThreadPoolExecutor(Executor):
    """An Executor that runs calls in a pool of at most max_workers threads
    (thread.py ThreadPoolExecutor)."""

    def __init__(self, max_workers=None, thread_name_prefix='',
                 initializer=None, initargs=()):
        """Initializes a new ThreadPoolExecutor instance.

        Args:
            max_workers: The maximum number of threads that can be used to
                execute the given calls.
            thread_name_prefix: An optional name prefix to give our threads.
            initializer: A callable used to initialize worker threads.
            initargs: A tuple of arguments to pass to the initializer.
        """
        if max_workers is None:
            # We use cpu_count + 4 for both CPU-bound (GIL-releasing) and I/O-bound
            # tasks, but limit it to 32 on many-core machines.
            max_workers = min(32, (os.cpu_count() or 1) + 4)
        if max_workers <= 0:
            raise ValueError("max_workers must be greater than 0")

        if initializer is not None and not callable(initializer):
            raise TypeError("initializer must be a callable")

        self._max_workers = max_workers
        self._work_queue = queue.SimpleQueue()
        self._idle_semaphore = threading.Semaphore(0)
        self._threads = set()
        self._broken = False
        self._shutdown = False
        self._shutdown_lock = threading.Lock()
        self._thread_name_prefix = (thread_name_prefix or
                                    ("ThreadPoolExecutor-%d" % _next_executor_number()))
        self._initializer = initializer
        self._initargs = initargs

    def submit(self, fn, /, *args, **kwargs):
        """Submits a callable to be executed as fn(*args, **kwargs); returns a Future
        representing the call."""
        with self._shutdown_lock, _global_shutdown_lock:
            if self._broken:
                raise BrokenThreadPool(self._broken)

            if self._shutdown:
                raise RuntimeError('cannot schedule new futures after shutdown')
            if _shutdown:
                raise RuntimeError('cannot schedule new futures after '
                                   'interpreter shutdown')

            f = Future()
            w = _WorkItem(f, fn, args, kwargs)

            self._work_queue.put(w)
            self._adjust_thread_count()
            return f

    def _adjust_thread_count(self):
        # thread.py ThreadPoolExecutor._adjust_thread_count
        # if idle threads are available, don't spin new threads
        if self._idle_semaphore.acquire(timeout=0):
            return

        num_threads = len(self._threads)
        if num_threads < self._max_workers:
            thread_name = '%s_%d' % (self._thread_name_prefix or self,
                                     num_threads)
            t = threading.Thread(name=thread_name, target=_worker,
                                 args=(self,
                                       self._work_queue,
                                       self._initializer,
                                       self._initargs))
            t.start()
            self._threads.add(t)
            _threads_queues[t] = self._work_queue

    def _initializer_failed(self):
        # thread.py ThreadPoolExecutor._initializer_failed
        with self._shutdown_lock:
            self._broken = ('A thread initializer failed, the thread pool '
                            'is not usable anymore')
            # Drain work queue and mark pending futures failed
            while True:
                try:
                    work_item = self._work_queue.get_nowait()
                except queue.Empty:
                    break
                if work_item is not None:
                    work_item.future.set_exception(BrokenThreadPool(self._broken))

    def shutdown(self, wait=True, *, cancel_futures=False):
        """Clean-up the resources associated with the Executor: no new calls are accepted;
        with wait, returns once the workers have finished the calls already queued.
        With cancel_futures, the calls that have not started are cancelled."""
        with self._shutdown_lock:
            self._shutdown = True
            if cancel_futures:
                # Drain all work items from the queue, and then cancel their
                # associated futures.
                while True:
                    try:
                        work_item = self._work_queue.get_nowait()
                    except queue.Empty:
                        break
                    if work_item is not None:
                        work_item.future.cancel()

            # Send a wake-up to prevent threads calling
            # _work_queue.get(block=True) from permanently blocking.
            self._work_queue.put(None)
        if wait:
            for t in self._threads:
                t.join()


# ---- Lib/concurrent/futures/process.py ----

_process_executors = []
_process_shutdown = False

# process.py EXTRA_QUEUED_CALLS: calls marked running beyond one per worker, so a worker
# that finishes finds its next call ready. They can no longer be cancelled.
EXTRA_QUEUED_CALLS = 1


def _process_python_exit():
    # process.py _python_exit: let the executors still open finish their work.
    global _process_shutdown
    _process_shutdown = True
    for executor in list(_process_executors):
        executor.shutdown(wait=True)


threading._register_atexit(_process_python_exit)


class _RemoteTraceback(Exception):
    __module__ = 'concurrent.futures.process'

    def __init__(self, tb):
        self.tb = tb

    def __str__(self):
        return self.tb


def _rebuild_exc(exc, tb):
    # process.py _ExceptionWithTraceback / _rebuild_exc: the worker's traceback text
    # becomes the cause of the exception raised here.
    if tb:
        _chain_cause(exc, _RemoteTraceback('\n"""\n%s"""' % tb))
    return exc


def _chain_cause(exc, cause):
    import _gilsim_process
    _gilsim_process.chain(exc, cause)


class BrokenProcessPool(BrokenExecutor):
    """
    Raised when a process in a ProcessPoolExecutor terminated abruptly
    while a future was in the running state.
    """
    __module__ = 'concurrent.futures.process'


def _process_chunk(fn, chunk):
    """ Processes a chunk of an iterable passed to map (process.py _process_chunk)."""
    return [fn(*args) for args in chunk]


def _chain_from_iterable_of_lists(iterable):
    for element in iterable:
        element.reverse()
        while element:
            yield element.pop()


class _ProcessWorker:
    """One worker process and the thread that collects its replies (the part of
    process.py's _ExecutorManagerThread that concerns one worker).

    A call goes out from whichever thread finds the worker idle: submit() itself, or this
    thread as it takes a reply. A submit→result round trip then wakes three threads (the
    worker, this collector, the caller), where a feeder thread between submit() and the
    pipe made it five: the feeder woke for the call, and again for the interpreter lock
    the caller still held."""

    def __init__(self, executor, name):
        self.executor = executor
        # The future of the call in flight; set before the call is sent.
        self.current = None
        # Told to finish: the end of its replies is no death.
        self.closing = False
        # Calls it has returned, and whether it is finishing after max_tasks_per_child.
        self.tasks = 0
        self.retiring = False
        import multiprocessing
        self.process = multiprocessing._start_pool_worker(name, executor._start_method, False)
        self.thread = threading.Thread(target=self.collect, daemon=True,
                                       name='ProcessPoolCollector-' + name)

    def collect(self):
        ex = self.executor
        ready = self.process.recv()
        if ready[0] != 'ready':
            ex._worker_died(self)
            return
        if ex._initializer is not None:
            ok = self.process.call(0, ex._initializer, ex._initargs, None)
            reply = self.process.recv() if ok else ('eof',)
            if reply[0] != 'ok':
                ex._worker_died(self)
                return
        ex._dispatch(self)
        while True:
            reply = self.process.recv()
            if reply[0] != 'ok' and reply[0] != 'err':
                if not self.closing:
                    ex._worker_died(self)
                elif self.retiring:
                    ex._retired(self)
                return
            future = self.current
            # The next call goes out before this result wakes its waiter, so the waiter
            # finds the interpreter lock free.
            ex._dispatch(self, finished=True)
            if reply[0] == 'ok':
                future.set_result(reply[2])
            else:
                future.set_exception(_rebuild_exc(reply[2], reply[3]))


def _fail(future, exc):
    # The future may have been failed already by the worker's death, seen by its collector.
    try:
        future.set_exception(exc)
    except InvalidStateError:
        pass


class ProcessPoolExecutor(Executor):
    """An Executor that runs calls in a pool of at most max_workers processes
    (process.py ProcessPoolExecutor)."""

    def __init__(self, max_workers=None, mp_context=None,
                 initializer=None, initargs=(), *, max_tasks_per_child=None):
        """Initializes a new ProcessPoolExecutor instance.

        Args:
            max_workers: The maximum number of processes that can be used to
                execute the given calls. If None or not given then as many
                worker processes will be created as the machine has processors.
            mp_context: A multiprocessing context; its start method decides what a
                worker does with the script's top level (see multiprocessing).
            initializer: A callable used to initialize worker processes.
            initargs: A tuple of arguments to pass to the initializer.
        """
        if max_workers is None:
            self._max_workers = os.cpu_count() or 1
        else:
            if max_workers <= 0:
                raise ValueError("max_workers must be greater than 0")
            self._max_workers = max_workers
        if initializer is not None and not callable(initializer):
            raise TypeError("initializer must be a callable")
        import multiprocessing
        if mp_context is None and max_tasks_per_child is not None:
            mp_context = multiprocessing.get_context("spawn")
        self._start_method = multiprocessing._method_of(mp_context)
        # process.py: forked workers are all started at the first submit, not one per
        # submit while none is idle.
        self._safe_to_dynamically_spawn_children = self._start_method != "fork"
        if max_tasks_per_child is not None:
            if not isinstance(max_tasks_per_child, int):
                raise TypeError("max_tasks_per_child must be an integer")
            elif max_tasks_per_child <= 0:
                raise ValueError("max_tasks_per_child must be >= 1")
            if self._start_method == "fork":
                raise ValueError("max_tasks_per_child is incompatible with"
                                 " the 'fork' multiprocessing start method;"
                                 " supply a different mp_context.")
        self._max_tasks_per_child = max_tasks_per_child
        self._initializer = initializer
        self._initargs = initargs
        # Calls as (future, fn, args, kwargs), oldest first. `_pending` holds calls still
        # PENDING (process.py pending_work_items); `_call_queue` holds those already marked
        # running, at most max_workers + EXTRA_QUEUED_CALLS counting the calls in flight.
        self._pending = queue._Fifo()
        self._call_queue = []
        self._in_flight = 0
        self._workers = []
        # Ready workers with no call in flight, their collectors waiting in recv().
        self._idle_workers = []
        self._broken = False
        self._shutdown_thread = False
        # Guards the queues, the idle list and each worker's `current`.
        self._shutdown_lock = threading.Lock()

    def _adjust_process_count(self):
        # process.py _adjust_process_count (and _launch_processes for fork): called when
        # no worker is idle. Workers retiring after max_tasks_per_child do not count.
        import multiprocessing
        kind = multiprocessing._process_class_name(self._start_method)
        while sum(1 for w in self._workers if not w.retiring) < self._max_workers:
            name = '%s-%d' % (kind, multiprocessing._next_identity())
            w = _ProcessWorker(self, name)
            self._workers.append(w)
            if self not in _process_executors:
                _process_executors.append(self)
            w.thread.start()
            if self._safe_to_dynamically_spawn_children:
                return

    def _fill_call_queue(self):
        # process.py _add_call_item_to_queue, with the lock held.
        room = self._max_workers + EXTRA_QUEUED_CALLS - self._in_flight
        while len(self._call_queue) < room and self._pending:
            item = self._pending.pop()
            # A call cancelled while it waited is only told so.
            if item[0].set_running_or_notify_cancel():
                self._call_queue.append(item)

    def _take_call(self, w):
        # The oldest running call goes to `w`, with the lock held.
        item = self._call_queue.pop(0)
        w.current = item[0]
        self._in_flight += 1
        self._fill_call_queue()
        return item

    def _dispatch(self, w, finished=False, unsent=False):
        """Gives worker `w` its next call; with none queued it waits idle, or is told to
        finish after shutdown(). `finished`: `w` has just returned a call's result;
        `unsent`: the call given to `w` could not be sent."""
        while True:
            with self._shutdown_lock:
                if finished or unsent:
                    w.current = None
                    self._in_flight -= 1
                    unsent = False
                if finished:
                    finished = False
                    w.tasks += 1
                    if (self._max_tasks_per_child is not None
                            and w.tasks >= self._max_tasks_per_child):
                        # process.py _process_worker exits after max_tasks_per_child
                        # calls; a new worker takes its place if calls are waiting. (As
                        # fixed for gh-115634: 3.11 itself can hang here with a backlog.)
                        w.retiring = True
                        w.closing = True
                        w.process.close()
                        # Even after shutdown(): the queued calls still run.
                        if self._call_queue or self._pending:
                            self._adjust_process_count()
                        return
                self._fill_call_queue()
                if not self._call_queue:
                    if self._shutdown_thread:
                        w.closing = True
                        w.process.close()
                    elif not self._broken:
                        self._idle_workers.append(w)
                    return
                item = self._take_call(w)
            if self._send(w, item):
                return
            unsent = True

    def _retired(self, w):
        # A worker that finished after max_tasks_per_child has exited: reap it.
        w.process.wait()
        with self._shutdown_lock:
            self._workers.remove(w)

    def _send(self, w, item):
        """Sends a call to `w`, whose `current` is already its future. False if it could not
        be encoded: the future then holds that error."""
        future, fn, args, kwargs = item
        try:
            # False (the worker has gone) needs nothing here: its collector sees the end
            # of its replies and fails the future.
            w.process.call(0, fn, args, kwargs)
            return True
        except BaseException as e:
            _fail(future, e)
            return False

    def _worker_died(self, w):
        # process.py _ExecutorManagerThread.terminate_broken: every pending future fails
        # and the other workers are ended (their collectors then fail their own calls).
        with self._shutdown_lock:
            first = not self._broken
            self._broken = ('A child process terminated abruptly, the process pool is not '
                            'usable anymore')
            if w in self._idle_workers:
                self._idle_workers.remove(w)
            # Read here, under the lock: a call given to `w` just now is failed too.
            future = w.current
            if future is not None:
                w.current = None
                self._in_flight -= 1
            others = [other for other in self._workers if other is not w]
            running = self._call_queue
            self._call_queue = []
            pending = self._pending.drain()
        error = 'A process in the process pool was terminated abruptly while the future was running or pending.'
        if future is not None:
            _fail(future, BrokenProcessPool(error))
        for item in running:
            _fail(item[0], BrokenProcessPool(error))
        for item in pending:
            if item[0].set_running_or_notify_cancel():
                item[0].set_exception(BrokenProcessPool(error))
        if first:
            for other in others:
                other.process.kill()

    def submit(self, fn, /, *args, **kwargs):
        """Submits a callable to be executed as fn(*args, **kwargs); returns a Future
        representing the call."""
        with self._shutdown_lock:
            if self._broken:
                raise BrokenProcessPool(self._broken)
            if self._shutdown_thread:
                raise RuntimeError('cannot schedule new futures after shutdown')
            if _process_shutdown:
                raise RuntimeError('cannot schedule new futures after '
                                   'interpreter shutdown')

            f = Future()
            item = (f, fn, args, kwargs)
            if not self._idle_workers:
                # Marked running later, when a worker takes or finishes a call: in CPython
                # the manager thread does it once it runs, not submit().
                self._pending.push(item)
                self._adjust_process_count()
                return f
            # A worker is idle only when nothing is queued: this call goes straight out,
            # from this thread.
            f.set_running_or_notify_cancel()
            w = self._idle_workers.pop()
            w.current = f
            self._in_flight += 1
        if not self._send(w, item):
            self._dispatch(w, unsent=True)
        return f

    def map(self, fn, *iterables, timeout=None, chunksize=1):
        """Returns an iterator equivalent to map(fn, iter), with the calls sent to the
        workers in chunks of chunksize (process.py ProcessPoolExecutor.map)."""
        if chunksize < 1:
            raise ValueError("chunksize must be >= 1.")
        if chunksize == 1:
            return super().map(fn, *iterables, timeout=timeout)
        items = list(zip(*iterables))
        chunks = [tuple(items[i:i + chunksize]) for i in range(0, len(items), chunksize)]
        results = super().map(_process_chunk, [fn] * len(chunks), chunks, timeout=timeout)
        return _chain_from_iterable_of_lists(results)

    def shutdown(self, wait=True, *, cancel_futures=False):
        """Clean-up the resources associated with the Executor."""
        with self._shutdown_lock:
            self._shutdown_thread = True
            pending = []
            if cancel_futures:
                # Only calls still pending: those marked running will run. The manager
                # thread fills its call queue before it sees the flag (process.py
                # _ExecutorManagerThread.run, then flag_executor_shutting_down).
                self._fill_call_queue()
                pending = self._pending.drain()
            # Busy workers finish once the queue is empty (see _dispatch).
            idle = self._idle_workers
            self._idle_workers = []
            for w in idle:
                w.closing = True
                w.process.close()
        for item in pending:
            item[0].cancel()
        if wait:
            import multiprocessing
            multiprocessing._join_collectors(self._shutdown_lock, self._workers)
            with self._shutdown_lock:
                workers = list(self._workers)
            for w in workers:
                w.process.close()
            for w in workers:
                w.process.wait()
            if self in _process_executors:
                _process_executors.remove(self)
