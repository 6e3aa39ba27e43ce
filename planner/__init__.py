"""recovery-planner: a day-by-day recovery and taper plan for a runner's calf."""

__version__ = "0.1.0"
