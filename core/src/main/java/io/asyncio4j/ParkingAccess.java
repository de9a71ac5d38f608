package io.asyncio4j;

import io.asyncio4j.internal.sync.Abort;
import io.asyncio4j.internal.sync.Parking;

/** The kernel's side of {@link Parking}: the kernel's one wait for the sync primitives' wait queue. */
final class ParkingAccess implements Parking.Access {
    static {
        Parking.setAccess(new ParkingAccess());
    }

    private ParkingAccess() {
    }

    @Override
    public EventLoop runningLoopOrNull() {
        return EventLoop.runningOrNull();
    }

    @Override
    public Task<?> currentTask(String api) {
        return Task.requireCurrent(api);
    }

    @Override
    public int begin(Task<?> task) {
        return task.beginWait();
    }

    @Override
    public void park(Task<?> task, Abort abort) {
        task.park(abort);
    }

    @Override
    public void wake(Task<?> task, int stamp) {
        task.wake(stamp);
    }
}
