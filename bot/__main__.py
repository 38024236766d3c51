"""``python -m bot``: the ``helpline`` command, with Ctrl-C honoured from the first moment."""

from bot.entry import main

main()
