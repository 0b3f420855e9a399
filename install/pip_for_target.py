"""Run pip as if on another machine: ``python pip_for_target.py MARKERS_JSON ARGS``.

pip's ``--platform`` and ``--python-version`` choose which wheels fit, but pip
still evaluates environment markers (``sys_platform == 'darwin'``, ...) for
the machine it runs on, so a resolution for macOS would pick Linux's packages.
This runs pip with the target's marker values in place of this machine's.
"""

import json
import sys

from pip._internal.cli.main import main
from pip._vendor.packaging import markers

target = json.loads(sys.argv[1])
this_machine = markers.default_environment
markers.default_environment = lambda: {**this_machine(), **target}
sys.exit(main(sys.argv[2:]))
