# Uncaught NameError for a name that resembles nothing defined.
counter = 1
print("counter is", counter)
print(zzqx_undefined_thing)
