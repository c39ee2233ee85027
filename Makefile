# Thin wrapper over scripts/dev.sh and the CMake presets.
.PHONY: run test dev tsan format clean
run:
	bash scripts/dev.sh run
test:
	bash scripts/dev.sh test
dev:
	cmake --preset dev && cmake --build --preset dev -j && ctest --preset dev -j2
tsan:
	cmake --preset tsan && cmake --build --preset tsan -j && ctest --preset tsan -j2
format:
	git ls-files '*.cc' '*.h' | xargs clang-format -i
clean:
	rm -rf build
