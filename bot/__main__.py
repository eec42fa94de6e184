import gc

gc.disable()  # until the app is built: bot.runtime.resume_gc_after_startup says why

from bot.cli import main  # noqa: E402

raise SystemExit(main())
