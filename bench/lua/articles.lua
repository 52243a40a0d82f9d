-- A different article on every request: each wrk thread draws at random, without
-- repeats, from its own share of the slugs file, so no two requests of a run read the
-- same article.  Arguments after the URL: <slugs file> <number of wrk threads>.
local here = debug.getinfo(1, "S").source:sub(2):match("(.*/)") or "./"
dofile(here .. "report.lua")

local counter = 0
local share = {}
local left = {}

function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
end

function init(args)
  local threads = tonumber(args[2])
  local n = 0
  for line in io.lines(args[1]) do
    if n % threads == id then
      share[#share + 1] = line
    end
    n = n + 1
  end
  math.randomseed(os.time() * 1000 + id)
end

function request()
  if #left == 0 then
    for i, slug in ipairs(share) do
      left[i] = slug
    end
  end
  local i = math.random(#left)
  local slug = left[i]
  left[i] = left[#left]
  left[#left] = nil
  return wrk.format(nil, "/news/" .. slug .. "/")
end
