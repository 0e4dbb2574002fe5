"""A real SMTP server for tests (Debian's python3-aiosmtpd): accepts every message
on 127.0.0.1:PORT and prints each as one JSON line on standard output."""
import json
import sys
import threading

from aiosmtpd.controller import Controller


class Printer:
    async def handle_DATA(self, server, session, envelope):
        print(json.dumps({
            "from": envelope.mail_from,
            "to": envelope.rcpt_tos,
            "data": envelope.content.decode("utf-8", "replace"),
        }), flush=True)
        return "250 Message accepted"


port = int(sys.argv[1])
controller = Controller(Printer(), hostname="127.0.0.1", port=port)
controller.start()
print(f"listening {port}", flush=True)
threading.Event().wait()
