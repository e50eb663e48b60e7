"""A small HTTP client for `reasonrl serve` (urllib only, no third-party packages).

Configuration comes from arguments or the environment:
  REASONRL_URL     base URL of the server (default http://127.0.0.1:8000)
  REASONRL_TOKEN   bearer token, when the server was started with --token
  REASONRL_TIMEOUT seconds per try (default 180, as OpenRLHF)
  REASONRL_TRIES   tries per call (default 5, 1 s apart, as OpenRLHF)

A retry sends the identical body, so the server joins the work of the earlier try instead of
scoring the batch again (see docs/serve.md, "Overload").
"""

import json
import os
import time
import urllib.error
import urllib.request


class RewardServerError(RuntimeError):
    """The server answered with an error status (after the retries), or could not be reached."""

    def __init__(self, message, status=None):
        super().__init__(message)
        self.status = status


class RewardClient:
    def __init__(self, url=None, token=None, timeout=None, tries=None, retry_sleep=1.0):
        self.url = (url or os.environ.get("REASONRL_URL") or "http://127.0.0.1:8000").rstrip("/")
        self.token = token if token is not None else os.environ.get("REASONRL_TOKEN")
        self.timeout = float(timeout if timeout is not None else os.environ.get("REASONRL_TIMEOUT", 180))
        self.tries = int(tries if tries is not None else os.environ.get("REASONRL_TRIES", 5))
        self.retry_sleep = retry_sleep

    def post(self, path, payload):
        """POSTs JSON and returns the decoded answer; retries 5xx and connection errors, not 4xx."""
        body = json.dumps(payload, ensure_ascii=False, allow_nan=False).encode("utf-8")
        headers = {"Content-Type": "application/json"}
        if self.token:
            headers["Authorization"] = "Bearer " + self.token
        last = None
        for attempt in range(max(1, self.tries)):
            if attempt:
                time.sleep(self.retry_sleep)
            request = urllib.request.Request(self.url + path, data=body, headers=headers, method="POST")
            try:
                with urllib.request.urlopen(request, timeout=self.timeout) as response:
                    return json.loads(response.read().decode("utf-8"))
            except urllib.error.HTTPError as e:
                message = _error_text(e)
                last = RewardServerError(f"{self.url}{path}: HTTP {e.code}: {message}", e.code)
                if e.code < 500:
                    raise last from None
            except (urllib.error.URLError, TimeoutError, ConnectionError) as e:
                last = RewardServerError(f"{self.url}{path}: {e}")
        raise last

    def get_reward(self, queries, prompts=None, labels=None):
        """OpenRLHF's protocol: the whole answer ({"rewards", "scores", "extra_logs"})."""
        payload = {"query": list(queries)}
        if prompts is not None:
            payload["prompts"] = list(prompts)
        if labels is not None:
            payload["labels"] = list(labels)
        return self.post("/get_reward", payload)

    def rewards(self, samples):
        """The native protocol: one result dict per sample (verdict, total_return, token_rewards, error, ...)."""
        answer = self.post("/v1/rewards", {"version": 1, "samples": list(samples)})
        return answer["results"]


_default_client = None


def default_client():
    """The process's client for the trainer hooks (openrlhf.reward_func, verl.compute_score, the verl manager),
    made on first use from REASONRL_URL / REASONRL_TOKEN; set ``_default_client = None`` to rebuild it."""
    global _default_client
    if _default_client is None:
        _default_client = RewardClient()
    return _default_client


def _error_text(e):
    try:
        return json.loads(e.read().decode("utf-8")).get("error", "")
    except Exception:  # noqa: BLE001 - any unreadable body: report the status alone
        return ""
