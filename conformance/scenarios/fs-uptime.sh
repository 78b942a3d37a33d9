# uptime says load average
# blocked-by: 16
uptime | grep -c 'load average'
