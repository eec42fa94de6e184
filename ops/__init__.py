"""Running Plein as a service: the web port (health, readiness, Prometheus metrics).

Like adapters/, this package sits outside the core: bot/ defines the ports (bot/metrics.py,
bot/health.py) and the composition root plugs these implementations in.
"""
