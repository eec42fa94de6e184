"""Timing: one Scheduler loop that sleeps on the Clock and runs recurring jobs and deadlines.

Production runs it on a SystemClock; scripted runs and tests run the same loop on a ManualClock
(ManualScheduler adds only the controls that move virtual time). APScheduler's CronTrigger does
the cron and daylight-saving arithmetic (CronMath); the work itself lives in bot/ services.
"""

from scheduler.manual import ManualScheduler
from scheduler.runner import Scheduler
from scheduler.triggers import CronMath

__all__ = ["CronMath", "ManualScheduler", "Scheduler"]
