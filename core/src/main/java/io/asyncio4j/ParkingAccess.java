package io.asyncio4j;

import io.asyncio4j.internal.sync.Parking;

/** The kernel's side of {@link Parking}: the task wait handshake for the sync primitives' wait queue. */
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
    public int beginWait(Task<?> task) {
        return task.beginWait();
    }

    @Override
    public void parkUntilWoken(Task<?> task) {
        task.parkUntilWoken();
    }

    @Override
    public void wake(Task<?> task, int seq) {
        task.loop.wakeTask(task, seq);
    }

    @Override
    public boolean hasPendingCancel(Task<?> task) {
        return task.hasPendingCancel();
    }

    @Override
    public void deliverPendingCancel(Task<?> task) {
        task.deliverPendingCancel();
    }
}
