# invokeurl overhead peer: COUNT sequential GETs on one requests.Session, each body parsed as JSON.
# Usage: python invokeurl.py URL COUNT
import sys

import requests

url, count = sys.argv[1], int(sys.argv[2])
session = requests.Session()
ok = 0
for _ in range(count):
    if session.get(url).json().get("ok") is True:
        ok += 1
print(ok)
