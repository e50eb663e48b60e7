"""The file to pass to OpenRLHF: --remote_rm_url /path/to/clients/python/openrlhf_reward_func.py
(set REASONRL_URL, and REASONRL_TOKEN when the server has a token)."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from reasonrl_client.openrlhf import reward_func  # noqa: E402,F401
