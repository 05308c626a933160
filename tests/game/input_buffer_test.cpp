// The per-player input buffer: jitter absorbed, redundancy recognised, late
// inputs dropped and counted, gaps filled by repetition, one input per tick.
#include "server/game/input_buffer.hpp"

#include <gtest/gtest.h>

using namespace skirmish;
using server::InputBuffer;

namespace {
protocol::TickInput input_at(sim::Tick tick, std::int8_t move_x) {
    protocol::TickInput t;
    t.tick = tick;
    t.input.move_x = move_x;
    return t;
}
} // namespace

TEST(InputBuffer, DeliversEachInputOnItsTick) {
    InputBuffer buffer;
    buffer.offer(input_at(12, 3), 10);
    buffer.offer(input_at(11, 2), 10);
    buffer.offer(input_at(10, 1), 10);
    EXPECT_EQ(buffer.take(10).move_x, 1);
    EXPECT_EQ(buffer.take(11).move_x, 2);
    EXPECT_EQ(buffer.take(12).move_x, 3);
    EXPECT_EQ(buffer.counters().applied, 3u);
    EXPECT_EQ(buffer.last_applied_tick(), 12u);
    EXPECT_EQ(buffer.newest_tick(), 12u);
}

TEST(InputBuffer, RedundantCopiesAreCountedNotStoredTwice) {
    InputBuffer buffer;
    for (int packet = 0; packet < 3; ++packet) buffer.offer(input_at(5, 1), 5);
    EXPECT_EQ(buffer.counters().received, 1u);
    EXPECT_EQ(buffer.counters().redundant, 2u);
}

TEST(InputBuffer, InputsForTicksAlreadySimulatedAreDroppedAndCounted) {
    InputBuffer buffer;
    buffer.offer(input_at(3, 9), 7);
    EXPECT_EQ(buffer.counters().late, 1u);
    EXPECT_EQ(buffer.take(7).move_x, 0);
}

TEST(InputBuffer, ACopyOfAnAppliedInputIsRedundantNotLate) {
    InputBuffer buffer;
    buffer.offer(input_at(4, 1), 4);
    buffer.take(4);
    buffer.offer(input_at(4, 1), 5); // the next packet repeats it: that is redundancy, not loss
    EXPECT_EQ(buffer.counters().late, 0u);
    EXPECT_EQ(buffer.counters().redundant, 1u);
}

TEST(InputBuffer, HeldThroughStopsAtTheFirstMissingTick) {
    InputBuffer buffer;
    EXPECT_EQ(buffer.held_through(10), 9u); // nothing held
    buffer.offer(input_at(10, 1), 10);
    buffer.offer(input_at(11, 1), 10);
    buffer.offer(input_at(13, 1), 10); // 12 missing
    EXPECT_EQ(buffer.held_through(10), 11u);
    buffer.offer(input_at(12, 1), 10);
    EXPECT_EQ(buffer.held_through(10), 13u);
    buffer.take(10);
    EXPECT_EQ(buffer.held_through(11), 13u);
}

TEST(InputBuffer, InputsTooFarAheadAreDropped) {
    InputBuffer buffer(32);
    buffer.offer(input_at(100 + 32, 1), 100);
    EXPECT_EQ(buffer.counters().too_early, 1u);
    buffer.offer(input_at(100 + 31, 1), 100);
    EXPECT_EQ(buffer.counters().received, 1u);
}

TEST(InputBuffer, AMissingInputRepeatsTheLastOne) {
    InputBuffer buffer;
    buffer.offer(input_at(1, 5), 1);
    EXPECT_EQ(buffer.take(1).move_x, 5);
    EXPECT_EQ(buffer.take(2).move_x, 5);
    EXPECT_EQ(buffer.counters().repeated, 1u);
    EXPECT_EQ(buffer.counters().lost, 1u);
    EXPECT_EQ(buffer.last_applied_tick(), 1u); // the repeat is not one of the client's
}

TEST(InputBuffer, WaitingForAPlayersFirstInputIsNotLoss) {
    InputBuffer buffer;
    buffer.take(0);
    buffer.take(1);
    EXPECT_EQ(buffer.counters().repeated, 2u);
    EXPECT_EQ(buffer.counters().lost, 0u);
}

TEST(InputBuffer, MoreInputsDoNotMeanMoreSteps) {
    // A client sending ten packets per tick still gets exactly one input per tick.
    InputBuffer buffer;
    for (sim::Tick t = 0; t < 10; ++t)
        for (int copy = 0; copy < 10; ++copy) buffer.offer(input_at(t, 127), t);
    int taken = 0;
    for (sim::Tick t = 0; t < 10; ++t, ++taken) buffer.take(t);
    EXPECT_EQ(taken, 10);
    EXPECT_EQ(buffer.counters().applied, 10u);
    EXPECT_EQ(buffer.counters().redundant, 90u);
}

TEST(InputBuffer, AnOldSlotIsNeverMistakenForANewTick) {
    InputBuffer buffer(4);
    buffer.offer(input_at(1, 7), 1);
    // Tick 5 shares tick 1's slot; the input for tick 1 must not be handed out for it.
    EXPECT_EQ(buffer.take(1).move_x, 7);
    buffer.offer(input_at(2, 3), 2);
    EXPECT_EQ(buffer.take(2).move_x, 3);
    EXPECT_EQ(buffer.counters().repeated, 0u);
}
