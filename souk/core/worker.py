"""Our task worker: django-tasks-db's, with leases and a loop that survives the database.

`manage.py run_worker` (started by `make run`) runs it. Against the upstream worker it changes
three things (docs/reliability.md):
- the claim of a task and its lease are one transaction, and a heartbeat renews the lease while
  the task runs (core/leases.py);
- every few seconds the loop puts back the tasks whose lease ran out (their worker died);
- a lost database connection is not fatal: the loop closes it, backs off and goes on
  (core/reconnect.py). A task that lost the database is left to its lease, which queues it
  again once the database is back.
"""

from __future__ import annotations

import logging
import time

from django.db import OperationalError, close_old_connections
from django.utils import timezone
from django_tasks_db.compat import TaskContext, task_finished, task_started
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction, is_locked_database_exception

from souk.core import leases
from souk.core.reconnect import DATABASE_LOST, Backoff

logger = logging.getLogger("souk.tasks")

# How often one worker looks for tasks whose lease ran out.
RECOVERY_EVERY_SECONDS = 5.0


class LeasedWorker(Worker):
    def run(self) -> None:
        logger.info("Starting worker worker_id=%s queues=%s", self.worker_id, self.queue_names)
        self.backoff = Backoff(f"worker {self.worker_id[:8]}")
        self.last_recovery = 0.0
        while self.running:
            outcome = self.backoff.run(self.run_once)
            if outcome == "stop":
                return
            if outcome == "idle" and self.running:
                time.sleep(self.interval)

    def recover(self) -> None:
        if time.monotonic() - self.last_recovery < RECOVERY_EVERY_SECONDS:
            return
        recovery = leases.recover_expired_tasks()
        self.last_recovery = time.monotonic()
        if recovery.requeued or recovery.failed:
            logger.warning(
                "Lease recovery: %d task(s) queued again, %d failed",
                len(recovery.requeued),
                len(recovery.failed),
            )

    def run_once(self) -> str:
        """One turn of the loop: "ran" a task, found none ("idle"), or "stop" (batch done,
        max tasks reached)."""
        close_old_connections()
        self.recover()
        tasks = DBTaskResult.objects.ready().filter(backend_name=self.backend_name)
        if not self.process_all_queues:
            tasks = tasks.filter(queue_name__in=self.queue_names)
        if self.excluded_queue_names:
            tasks = tasks.exclude(queue_name__in=self.excluded_queue_names)
        try:
            with exclusive_transaction(tasks.db):
                task_result = tasks.get_locked()
                if task_result is not None:
                    # Claimed and leased together: a running task always has a lease.
                    task_result.claim(self.worker_id)
                    leases.grant(task_result_id=task_result.pk, worker_id=self.worker_id)
        except OperationalError as error:
            if not is_locked_database_exception(error):
                raise
            return "idle"  # SQLite busy: try again after the interval
        if task_result is not None:
            self.run_leased_task(task_result)
        elif self.batch:
            logger.info("No more tasks to run for worker_id=%s - exiting.", self.worker_id)
            return "stop"
        if self.max_tasks is not None and self._run_tasks >= self.max_tasks:
            logger.info("Ran the maximum of %d task(s) - exiting.", self._run_tasks)
            return "stop"
        return "ran" if task_result is not None else "idle"

    def run_leased_task(self, task_result: DBTaskResult[..., object]) -> None:
        task_result_id, started = task_result.pk, timezone.now()
        with leases.heartbeat(task_result_id=task_result_id, worker_id=self.worker_id):
            self.run_task(task_result)
        leases.release(task_result_id=task_result_id, worker_id=self.worker_id)
        logger.debug("Task %s done in %s", task_result_id, timezone.now() - started)

    def run_task(self, db_task_result: DBTaskResult[..., object]) -> None:
        """Run the task and record its result, as upstream does, except when the database
        went away under it: the error reaches our loop, the task stays running, and its lease
        brings it back once the database is back (it is not failed for an outage)."""
        self.running_task = True
        try:
            task = db_task_result.task
            task_result = db_task_result.task_result
            backend_type = task.get_backend()
            task_started.send(sender=backend_type, task_result=task_result)
            if task.takes_context:
                context = TaskContext(task_result=task_result)
                value = task.call(context, *task_result.args, **task_result.kwargs)
            else:
                value = task.call(*task_result.args, **task_result.kwargs)
            db_task_result.set_successful(value)
            task_finished.send(sender=backend_type, task_result=db_task_result.task_result)
        except DATABASE_LOST:
            raise
        except BaseException as error:
            db_task_result.set_failed(error)
            try:
                sender = type(db_task_result.task.get_backend())
                finished = db_task_result.task_result
            except ImportError:
                logger.exception("Task id=%s failed unexpectedly", db_task_result.id)
            else:
                task_finished.send(sender=sender, task_result=finished)
        finally:
            self.running_task = False
            self._run_tasks += 1
