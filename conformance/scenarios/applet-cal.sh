# cal of a fixed month
cal 2 2000
