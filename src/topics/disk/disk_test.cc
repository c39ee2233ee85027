#include <gtest/gtest.h>
TEST(Disk, Placeholder) {}
