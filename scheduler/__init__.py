"""Timing: APScheduler in production, a simulated scheduler for scripted runs and tests.

Both use APScheduler's CronTrigger for the arithmetic, so a simulated week has the same
daylight-saving behaviour as a real one. The work itself lives in bot/ services.
"""

from scheduler.runner import APSchedulerRunner
from scheduler.simulated import SimulatedScheduler
from scheduler.triggers import CronMath

__all__ = ["APSchedulerRunner", "CronMath", "SimulatedScheduler"]
