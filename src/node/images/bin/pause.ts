#!/usr/bin/env node
// Entry point for the `registry.k8s.io/pause` image, after build/pause/linux/pause.c: block
// until SIGINT or SIGTERM, then say so on stderr and exit 0.
import { runPause } from '../pause.js';

runPause();
